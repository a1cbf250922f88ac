import { fuzzEntryPoint } from "./entry.js";
import { teamsCardEntry } from "./properties.js";

fuzzEntryPoint(teamsCardEntry);
