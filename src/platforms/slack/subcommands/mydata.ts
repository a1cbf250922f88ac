// `mydata`: everything stored about the member, as a JSON file in their DM.
import type { webApi } from "@slack/bolt";
import { exportMemberData } from "../../../core/members/export-member-data.js";
import { t } from "../../../i18n/index.js";
import type { SlackActor } from "../actor.js";
import { textMessage } from "../blocks/common.js";
import type { SlackDeps } from "../deps.js";
import type { Reply } from "../reply.js";
import { type CommandContext, requireMember } from "./context.js";

export async function sendMyData(args: {
  deps: SlackDeps;
  client: webApi.WebClient;
  actor: SlackActor & { member: NonNullable<SlackActor["member"]> };
  reply: Reply;
}): Promise<void> {
  const { deps, client, actor } = args;
  const data = await exportMemberData({ prisma: deps.prisma, personId: actor.member.personId });
  const opened = await client.conversations.open({ users: actor.userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error("conversations.open returned no channel");
  const day = data.exportedAt.slice(0, 10);
  await client.files.uploadV2({
    channel_id: channelId,
    filename: `alumni-bridge-mydata-${day}.json`,
    title: t(actor.locale, "mydata.fileTitle", { date: day }),
    content: JSON.stringify(data, null, 2),
    initial_comment: t(actor.locale, "mydata.comment"),
  });
  await args.reply(textMessage(t(actor.locale, "mydata.sent")));
}

export async function mydata(ctx: CommandContext): Promise<void> {
  const actor = await requireMember(ctx);
  if (!actor) return;
  await sendMyData({ ...ctx, actor });
}
