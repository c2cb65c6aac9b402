import type { ScreenProps } from "../app";
import { BoardList } from "./board/board-list";
import { TaskPage } from "./board/detail";
import "./board/board.css";

/** The board (`/board`, filters in the query) and one task's page (`/board/T-3`). */
export default function Board({ rest }: ScreenProps) {
  const id = rest[0];
  return id ? <TaskPage id={decodeURIComponent(id)} /> : <BoardList />;
}
