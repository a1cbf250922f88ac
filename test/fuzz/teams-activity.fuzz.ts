import { fuzzEntryPoint } from "./entry.js";
import { teamsActivityEntry } from "./properties.js";

fuzzEntryPoint(teamsActivityEntry);
