import { fuzzEntryPoint } from "./entry.js";
import { teamsMalformedEntry } from "./properties.js";

fuzzEntryPoint(teamsMalformedEntry);
