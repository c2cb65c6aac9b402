import { waitingOn } from "./lanes";
import { age, costLabel, priorityLabel, type Task } from "./types";

/** One task on the board: what it is, who has it, what it waits on, how old it is and what it cost. */
export function TaskCard({ task, byId }: { task: Task; byId: Map<string, Task> }) {
  const waits = task.status === "open" ? waitingOn(task, byId) : [];
  const cost = costLabel(task.cost);
  const titleId = `card-${task.id}`;
  return (
    <article class={`card p${task.priority}`} aria-labelledby={titleId} data-id={task.id}>
      <h3 id={titleId} class="card-title">
        <a href={`/board/${task.id}`}>
          <span class="id">{task.id}</span> {task.title}
        </a>
      </h3>
      <p class="card-meta">
        <span class={`prio p${task.priority}`}>{priorityLabel(task.priority)}</span>
        <span class="queue">{task.queue}</span>
        {task.holder ? (
          <span class="holder">held by {task.holder}</span>
        ) : task.assignee ? (
          <span class="holder">for {task.assignee}</span>
        ) : null}
        <time
          dateTime={new Date(task.createdAt).toISOString()}
          title={new Date(task.createdAt).toLocaleString()}
        >
          {age(task.createdAt)}
        </time>
        {cost ? <span class="cost">{cost}</span> : null}
      </p>
      {task.blockedBy.length > 0 ? (
        <p class="blocked">Blocked: {task.blockedBy.map((b) => `${b.id} ${b.status}`).join(", ")}</p>
      ) : waits.length > 0 ? (
        <p class="waits">Waiting on {waits.join(", ")}</p>
      ) : task.dependsOn.length > 0 ? (
        <p class="deps">After {task.dependsOn.join(", ")}</p>
      ) : null}
      {task.tags.length > 0 ? (
        <ul class="tags" aria-label="Tags">
          {task.tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
