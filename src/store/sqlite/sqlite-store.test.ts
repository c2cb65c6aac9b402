import { join } from "node:path";
import { describeEditConformance } from "../../../test/conformance/edit-conformance.js";
import { describeStoreConformance } from "../../../test/conformance/store-conformance.js";
import { tempDir } from "../../../test/helpers/temp-repo.js";
import { SqliteStore } from "./sqlite-store.js";

describeStoreConformance(
  "sqlite",
  async (clock) => new SqliteStore({ path: join(tempDir(), "baton.db"), clock }),
);
describeEditConformance(
  "sqlite",
  async (clock) => new SqliteStore({ path: join(tempDir(), "baton.db"), clock }),
);
