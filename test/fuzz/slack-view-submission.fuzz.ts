import { fuzzEntryPoint } from "./entry.js";
import { slackViewEntry } from "./properties.js";

fuzzEntryPoint(slackViewEntry);
