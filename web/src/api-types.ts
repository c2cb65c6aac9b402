/**
 * The shapes the hub's API answers with, from baton's own domain types: one
 * definition for the server and the page, so the page cannot drift from what
 * the hub sends. Types only: nothing of the server is bundled.
 */
export type { CostTotal } from "../../src/domain/cost";
export type { HumanInbox, InboxItem } from "../../src/domain/inbox";
export type { AgentView, BatonEvent, Message, Task, TaskDetail, TaskStatus } from "../../src/domain/types";
export type { WorktreeDiff } from "../../src/domain/worktree-diff";
