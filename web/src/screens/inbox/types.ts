/** What GET /api/v1/inbox gives (src/domain/inbox.ts). */
export type { HumanInbox as Inbox, InboxItem } from "../../api-types";
