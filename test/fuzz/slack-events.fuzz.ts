import { fuzzEntryPoint } from "./entry.js";
import { slackEventEntry } from "./properties.js";

fuzzEntryPoint(slackEventEntry);
