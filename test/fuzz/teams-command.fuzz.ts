import { fuzzEntryPoint } from "./entry.js";
import { teamsCommandEntry } from "./properties.js";

fuzzEntryPoint(teamsCommandEntry);
