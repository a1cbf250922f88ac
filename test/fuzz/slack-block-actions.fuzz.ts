import { fuzzEntryPoint } from "./entry.js";
import { slackActionEntry } from "./properties.js";

fuzzEntryPoint(slackActionEntry);
