// Who can act in the sandbox: alumni in Slack, an HR admin and a community
// manager in Teams. Ids are fixed, so a restarted sandbox finds the same people
// in its database.
import type { SlackPersona, TeamsPersona } from "./playground-types.js";
import { personalConversationId, type TeamsUser } from "./teams-requests.js";

export const SANDBOX_TEAM_ID = "T0ALUMNI1";
export const SANDBOX_TENANT_ID = "5a1d2b3c-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
export const SANDBOX_CHANNEL_ID = "C0ALUMNI01";
export const SANDBOX_BOT_NAME = "alumni-bridge";

export interface SandboxSlackPersona extends SlackPersona {
  email: string;
}

export interface SandboxTeamsPersona extends TeamsPersona {
  user: TeamsUser;
  email: string;
}

export const SLACK_PERSONAS: readonly SandboxSlackPersona[] = [
  { id: "U0SANDBOX1", name: "佐藤 花子", locale: "ja", email: "hanako.sato@example.jp" },
  { id: "U0SANDBOX2", name: "Alex Morgan", locale: "en", email: "alex.morgan@example.com" },
  { id: "U0SANDBOX3", name: "鈴木 健二", locale: "ja", email: "kenji.suzuki@example.jp" },
];

export const TEAMS_PERSONAS: readonly SandboxTeamsPersona[] = [
  {
    key: "hr",
    name: "青木 美香 (HR admin)",
    role: "admin",
    email: "mika.aoki@corp.example",
    user: {
      id: "29:1SandboxHrAdminAokiMika0000000000",
      aadObjectId: "0e3b7a52-6c1d-4f2e-9a8b-1c2d3e4f5a61",
      name: "青木 美香",
    },
  },
  {
    key: "cm",
    name: "森 翔太 (community manager)",
    role: "cm",
    email: "shota.mori@corp.example",
    user: {
      id: "29:1SandboxCommunityMgrMoriShota0000",
      aadObjectId: "0e3b7a52-6c1d-4f2e-9a8b-1c2d3e4f5a62",
      name: "森 翔太",
    },
  },
];

export function teamsConversationOf(persona: SandboxTeamsPersona): string {
  return personalConversationId(persona.user);
}
