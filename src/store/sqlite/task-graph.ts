import { compareTaskIds } from "./rows.js";

/** Walks of the dependency graph (task_deps), read inside the caller's transaction. */

interface Reader {
  all<Row>(sql: string, ...params: unknown[]): Row[];
}

/**
 * The open tasks that wait on `id`, directly or through other open tasks, each
 * with `via`: its own dependency on the way to `id` (`id` itself, or another
 * task of the set). The walk stops at tasks that are not open: a claimed or
 * finished task no longer waits on anything.
 */
export function openDependents(conn: Reader, id: string): { id: string; title: string; via: string }[] {
  const rows = conn.all<{ id: string; title: string; via: string }>(
    `WITH RECURSIVE down(id) AS (
       SELECT d.task_id FROM task_deps d JOIN tasks t ON t.id = d.task_id AND t.status = 'open' WHERE d.depends_on = @id
       UNION
       SELECT d.task_id FROM down JOIN task_deps d ON d.depends_on = down.id
         JOIN tasks t ON t.id = d.task_id AND t.status = 'open'
     )
     SELECT t.id, t.title,
       (SELECT min(d.depends_on) FROM task_deps d
        WHERE d.task_id = t.id AND (d.depends_on = @id OR d.depends_on IN (SELECT id FROM down))) AS via
     FROM down JOIN tasks t ON t.id = down.id`,
    { id },
  );
  return rows.sort((a, b) => compareTaskIds(a.id, b.id));
}
