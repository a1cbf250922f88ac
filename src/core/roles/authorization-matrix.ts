// Who may do what: every Slack subcommand, button and modal and every Teams
// command and card verb, for each persona. This table is the one source: the
// Slack listeners and the Teams router refuse from it (authorizeSlack,
// authorizeTeams), the e2e test (test/e2e/authorization-matrix.test.ts) plays
// every cell against the running bot, and README's "Who may do what" is
// generated from it (`npm run docs:authz`). The core operations keep their own
// role checks (requireRole) as a second line.
//
// Personas, per platform:
// - stranger: Slack, a user of another workspace than the one the bot is
//   installed in (auth.test's team, e.g. a Slack Connect guest); Teams, a user of
//   another Entra tenant than MICROSOFT_APP_TENANT_ID (when it is set). An
//   activity with no Entra object id at all is refused too (teams.noIdentity).
// - unregistered: Slack, a workspace user who has not joined (or whose consent
//   was withdrawn); Teams, a user of our tenant with no role (there is no sign-up
//   in Teams: anyone the bot meets is recorded, with no rights beyond help).
// - pending: Slack, a registered alumnus whose membership is not verified
//   (MEMBERSHIP_VERIFICATION: waiting for HR, or rejected): they keep help,
//   their profile, language, mydata and delete, and may apply again, but see
//   nothing of the community (directory, postings, events, referrals, and the
//   buttons on old announcements); Teams, as member (no sign-up in Teams).
// - member: Slack, a registered, verified alumnus; Teams, a known user with no role.
// - blocked: Slack, a member someone else blocked (`/alumni block`): a block
//   only hides two people from each other, it takes no right away; Teams, a
//   user whose hr role an admin revoked (roles are read fresh every turn).
// - erased: a person who erased their data. Their identities are deleted, so
//   on either platform they come back as a newcomer (Slack: may join again;
//   Teams: no role, a role held before is gone).
// - hr, cm: Teams users an admin granted the role. On Slack, a member whose
//   person also holds the role: roles give nothing on Slack (no Slack operation
//   needs one) and take nothing away.
// - admin: Teams users listed in ADMIN_AAD_OBJECT_IDS (admins may do all hr and
//   cm may do); on Slack as hr and cm.
import type { MessageKey } from "../../i18n/index.js";

export const PERSONAS = [
  "stranger",
  "unregistered",
  "pending",
  "member",
  "blocked",
  "erased",
  "hr",
  "cm",
  "admin",
] as const;
export type Persona = (typeof PERSONAS)[number];

export type Outcome = { allowed: true } | { allowed: false; key: MessageKey };

/** What each persona is on each platform (for the README's legend; the comment above says why). */
export const PERSONA_MEANING: Readonly<Record<Persona, { slack: string; teams: string }>> = {
  stranger: {
    slack: "a user of another workspace than the bot's (auth.test), e.g. a Slack Connect guest",
    teams: "a user of another tenant than MICROSOFT_APP_TENANT_ID (nothing is stored about them)",
  },
  unregistered: {
    slack: "a workspace user who has not joined (or withdrew consent)",
    teams: "a user of the tenant talking to the bot for the first time, with no role",
  },
  pending: {
    slack: "a registered alumnus not verified yet (HR is reviewing their join request, or rejected it)",
    teams: "as member: there is no sign-up in Teams",
  },
  member: { slack: "a registered, verified alumnus", teams: "a known user of the tenant with no role" },
  blocked: {
    slack: "a member someone blocked: a block hides two people from each other, it takes no right away",
    teams: "a user whose hr role an admin revoked (roles are read afresh every turn)",
  },
  erased: {
    slack: "someone who erased their data: a newcomer again, who may join again",
    teams: "a person whose data was erased: a newcomer again, the role they held is gone",
  },
  hr: { slack: "a member whose person also holds hr: roles add nothing on Slack", teams: "granted hr by an admin" },
  cm: { slack: "a member whose person also holds cm", teams: "granted cm by an admin" },
  admin: {
    slack: "a member whose person also holds admin",
    teams: "listed in ADMIN_AAD_OBJECT_IDS; may do all hr and cm may",
  },
};

export type Platform = "slack" | "teams";
export type OperationKind = "command" | "action" | "view" | "card";

export interface Operation {
  /** Stable id, e.g. `slack.command.join`, `teams.card.posting.create`. */
  id: string;
  platform: Platform;
  kind: OperationKind;
  /** What the user types or what the bot receives: `/alumni join`, `open_join`, `posting.create`. */
  name: string;
  description: { ja: string; en: string };
  /** Teams: the roles any one of which allows it (admin always does); empty = anyone in the tenant. */
  roles?: readonly ("hr" | "cm" | "admin")[];
  outcomes: Readonly<Record<Persona, Outcome>>;
}

const ALLOWED: Outcome = { allowed: true };
const refused = (key: MessageKey): Outcome => ({ allowed: false, key });

/** Slack: who is in the workspace, who has joined, and whose membership is verified. */
type SlackAudience = "workspace" | "members" | "verified";

function slackOp(
  kind: "command" | "action" | "view",
  name: string,
  audience: SlackAudience,
  ja: string,
  en: string,
): Operation {
  // Newcomers who try a member's button or command get the Join prompt; a modal
  // submission (no place for a button) says so in the modal.
  const newcomer =
    audience === "workspace" ? ALLOWED : refused(kind === "view" ? "member.notRegistered" : "member.joinFirst");
  const member = ALLOWED;
  // Joined but not verified: refused what only verified alumni may see or do.
  const pending = audience === "verified" ? refused("membership.notVerified") : ALLOWED;
  return {
    id: `slack.${kind}.${name.replace(/^\/alumni /, "")}`,
    platform: "slack",
    kind,
    name,
    description: { ja, en },
    outcomes: {
      stranger: refused("slack.stranger"),
      unregistered: newcomer,
      pending,
      member,
      blocked: member,
      erased: newcomer,
      hr: member,
      cm: member,
      admin: member,
    },
  };
}

function teamsOp(
  kind: "command" | "card",
  name: string,
  roles: readonly ("hr" | "cm" | "admin")[],
  ja: string,
  en: string,
): Operation {
  const may = (role: "hr" | "cm" | "admin") =>
    roles.length === 0 || role === "admin" || roles.includes(role) ? ALLOWED : refused("error.forbidden");
  const noRole = roles.length === 0 ? ALLOWED : refused("error.forbidden");
  return {
    id: `teams.${kind}.${name.replaceAll(" ", "_")}`,
    platform: "teams",
    kind,
    name,
    description: { ja, en },
    roles,
    outcomes: {
      stranger: refused("teams.otherTenant"),
      unregistered: noRole,
      pending: noRole,
      member: noRole,
      blocked: noRole,
      erased: noRole,
      hr: may("hr"),
      cm: may("cm"),
      admin: may("admin"),
    },
  };
}

const HR = ["hr"] as const;
const CM = ["cm"] as const;
const ADMIN = ["admin"] as const;
const HR_CM = ["hr", "cm"] as const;

export const AUTHORIZATION_MATRIX: readonly Operation[] = [
  // Slack: /alumni subcommands
  slackOp("command", "/alumni help", "workspace", "使い方", "Help"),
  slackOp("command", "/alumni join", "workspace", "登録フォームを開く", "Open the registration form"),
  slackOp("command", "/alumni profile", "members", "プロフィールを編集", "Edit one's profile"),
  slackOp("command", "/alumni find", "verified", "名簿を検索", "Search the directory"),
  slackOp("command", "/alumni jobs", "verified", "求人一覧", "List open jobs"),
  slackOp("command", "/alumni gigs", "verified", "副業・業務委託の一覧", "List open side gigs"),
  slackOp("command", "/alumni refer", "verified", "紹介フォームを開く", "Open the referral form"),
  slackOp("command", "/alumni events", "verified", "イベント一覧", "List upcoming events"),
  slackOp("command", "/alumni block", "verified", "相手をブロック", "Block someone"),
  slackOp("command", "/alumni unblock", "verified", "ブロックを解除", "Unblock someone"),
  slackOp("command", "/alumni lang", "members", "表示言語を変更", "Change language"),
  slackOp("command", "/alumni mydata", "members", "自分のデータを書き出す", "Export one's data"),
  slackOp("command", "/alumni delete", "members", "データ削除の確認", "Ask to erase one's data"),
  // Slack: buttons
  slackOp("action", "open_join", "workspace", "「登録」ボタン", "Join button"),
  slackOp("action", "open_profile", "members", "「プロフィール編集」ボタン", "Edit profile button"),
  slackOp("action", "open_refer", "verified", "「紹介する」ボタン", "Refer someone button"),
  slackOp("action", "posting_refer", "verified", "求人への紹介ボタン", "Refer for a posting"),
  slackOp("action", "posting_interested", "verified", "求人に「興味あり」", "Interested in a posting"),
  slackOp("action", "event_rsvp", "verified", "イベントの出欠", "RSVP to an event"),
  slackOp("action", "postings_page", "verified", "求人一覧の続き", "Next page of postings"),
  slackOp("action", "directory_page", "verified", "名簿検索の続き", "Next page of the directory"),
  slackOp("action", "home_list", "verified", "ホームの一覧ボタン", "App Home list buttons"),
  slackOp("action", "delete_confirm", "members", "データ削除を実行", "Erase one's data"),
  slackOp("action", "delete_cancel", "workspace", "データ削除を取り消す", "Cancel erasure"),
  slackOp("action", "open_survey", "verified", "退職後アンケートを開く", "Open a post-exit survey"),
  slackOp("action", "open_homecoming_wish", "verified", "ホームカミングの希望を開く", "Open a homecoming wish"),
  // Slack: modal submissions
  slackOp("view", "register", "workspace", "登録フォームの送信", "Submit the registration form"),
  slackOp("view", "profile", "members", "プロフィール編集の送信", "Submit the profile editor"),
  slackOp("view", "refer", "verified", "紹介フォームの送信", "Submit a referral"),
  slackOp("view", "survey", "verified", "アンケートの回答", "Answer a survey"),
  slackOp("view", "homecoming_wish", "verified", "ホームカミングの希望を送信", "Send a homecoming wish"),
  // Teams: commands
  teamsOp("command", "help", [], "使い方", "Help"),
  teamsOp("command", "roles", ADMIN, "役割の一覧", "List role holders"),
  teamsOp("command", "grant", ADMIN, "役割を付与", "Grant hr or cm"),
  teamsOp("command", "revoke", ADMIN, "役割を取り消す", "Revoke hr or cm"),
  teamsOp("command", "post", HR, "求人・副業の投稿フォーム", "Posting form"),
  teamsOp("command", "postings", HR, "求人の一覧", "List postings"),
  teamsOp("command", "close", HR, "求人を締め切る", "Close a posting"),
  teamsOp("command", "returners", HR, "復帰を考えている人", "Alumni open to return"),
  teamsOp("command", "notify", HR, "通知先のチャネル設定", "Where HR is notified"),
  teamsOp("command", "schedule event", CM, "イベントを作成(対話)", "Schedule an event (dialog)"),
  teamsOp("command", "events", CM, "イベントと出欠", "Events and RSVPs"),
  teamsOp("command", "cancel event", CM, "イベントを中止", "Cancel an event"),
  teamsOp("command", "move event", CM, "イベントの日時を変更", "Move an event"),
  teamsOp("command", "survey results", HR, "アンケート集計", "Survey results"),
  teamsOp("command", "failed deliveries", ADMIN, "送信失敗の一覧", "Failed deliveries"),
  teamsOp("command", "broadcast", HR_CM, "一斉送信フォーム", "Broadcast form"),
  // `roster`, `roster <words>`, `roster add`, `roster delete <number>`; the same row decides who may
  // upload a roster file in the personal chat (checked before anything is downloaded).
  teamsOp(
    "command",
    "roster",
    HR,
    "退職者名簿（件数・検索・追加・削除、名簿ファイルの取り込み）",
    "Leavers roster (counts, search, add, delete; roster file upload)",
  ),
  // Teams: card verbs
  teamsOp("card", "posting.create", HR, "求人を保存・公開", "Save or publish a posting"),
  teamsOp("card", "posting.update", HR, "求人を更新", "Update a posting"),
  teamsOp("card", "posting.edit", HR, "求人の編集フォーム", "Posting edit form"),
  teamsOp("card", "posting.show", HR, "求人を表示", "Show a posting"),
  teamsOp("card", "posting.close", HR, "求人を締め切る", "Close a posting"),
  teamsOp("card", "posting.publish", HR, "下書きを公開", "Publish a draft"),
  teamsOp("card", "referral.status", HR, "紹介の状況を変更", "Change a referral's status"),
  teamsOp("card", "referral.reward", HR, "紹介報酬の状況を変更", "Change a referral's reward"),
  teamsOp("card", "broadcast.form", HR_CM, "一斉送信フォーム", "Broadcast form"),
  teamsOp("card", "broadcast.preview", HR_CM, "一斉送信の宛先数を確認", "Preview a broadcast"),
  teamsOp("card", "broadcast.send", HR_CM, "一斉送信", "Send a broadcast"),
  teamsOp("card", "delivery.retry", ADMIN, "送信失敗を再送", "Retry failed deliveries"),
  teamsOp("card", "returners.page", HR, "復帰候補の続き", "Next page of returners"),
  teamsOp("card", "roster.import", HR, "名簿ファイルを取り込む", "Import a previewed roster file"),
  teamsOp("card", "roster.cancel", HR, "名簿の取り込みを取り消す", "Cancel a previewed roster import"),
  teamsOp("card", "roster.form", HR, "退職者1人の登録フォーム", "One-leaver form"),
  teamsOp("card", "roster.add", HR, "退職者を1人登録", "Add one leaver to the roster"),
  teamsOp("card", "joinRequest.approve", HR, "参加申請を承認", "Approve a join request"),
  teamsOp("card", "joinRequest.reject", HR, "参加申請を却下", "Reject a join request"),
];

const BY_ID = new Map(AUTHORIZATION_MATRIX.map((op) => [op.id, op]));

export function operation(id: string): Operation {
  const op = BY_ID.get(id);
  if (!op) throw new Error(`no operation ${id} in the authorization matrix`);
  return op;
}

/** The outcome for someone who is several personas at once (e.g. hr and cm): allowed if any allows. */
export function outcomeFor(id: string, personas: readonly Persona[]): Outcome {
  const outcomes = operation(id).outcomes;
  let first: Outcome | undefined;
  for (const persona of personas) {
    const outcome = outcomes[persona];
    if (outcome.allowed) return outcome;
    first ??= outcome;
  }
  return first ?? refused("error.forbidden");
}
