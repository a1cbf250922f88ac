// App Home: where a member stands, their referrals and RSVPs, and the main actions.
import type { Member } from "../../../core/members/find-member.js";
import type { MemberHome } from "../../../core/members/get-member-home.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { escapeMrkdwn } from "../escape.js";
import { actions, type Block, button, context, divider, header, section, slackDate } from "./common.js";

/**
 * `joinRequestNumber`: a member not verified yet sees where their request to join stands
 * (pending: its number; rejected: that they may apply again) instead of the community's lists.
 */
export function homeView(
  locale: Locale,
  member: Member | null,
  home: MemberHome,
  joinRequestNumber: number | null = null,
): Block {
  const registered = member?.registered === true;
  const blocks: Block[] = [header(t(locale, "home.title"))];
  if (registered && member.membership !== "verified") {
    blocks.push(section(t(locale, "home.registered", { name: escapeMrkdwn(member.displayName ?? "") })));
    if (member.membership === "rejected") {
      blocks.push(
        section(t(locale, "membership.home.rejected")),
        actions([button(t(locale, "action.join"), "open_join", undefined, { style: "primary" })]),
      );
    } else {
      blocks.push(
        section(
          joinRequestNumber === null
            ? t(locale, "membership.home.pendingNoNumber")
            : t(locale, "membership.home.pending", { number: joinRequestNumber }),
        ),
      );
    }
    blocks.push(actions([button(t(locale, "action.editProfile"), "open_profile")]));
    return { type: "home", blocks };
  }
  if (!registered) {
    blocks.push(
      section(t(locale, "home.welcome")),
      actions([button(t(locale, "action.join"), "open_join", undefined, { style: "primary" })]),
    );
  } else {
    blocks.push(section(t(locale, "home.registered", { name: escapeMrkdwn(member.displayName ?? "") })));
  }
  blocks.push(
    context([t(locale, "home.counts", { jobs: home.openJobs, gigs: home.openGigs, events: home.upcomingEvents })]),
  );
  if (registered) {
    blocks.push(
      actions([
        button(t(locale, "home.jobs"), "home_list", "jobs", { style: "primary" }),
        button(t(locale, "home.gigs"), "home_list", "gigs"),
        button(t(locale, "home.events"), "home_list", "events"),
        button(t(locale, "action.refer"), "open_refer"),
        button(t(locale, "action.editProfile"), "open_profile"),
        button(t(locale, "home.mydata"), "home_list", "mydata"),
      ]),
      divider(),
      header(t(locale, "home.referralsTitle")),
    );
    if (home.referrals.length === 0) blocks.push(context([t(locale, "home.noReferrals")]));
    for (const r of home.referrals) {
      const forWhat = r.posting
        ? `#${r.posting.number} ${escapeMrkdwn(r.posting.title)}`
        : t(locale, "home.generalReferral");
      blocks.push(
        section(
          `*R${r.number}* ${escapeMrkdwn(r.candidateName ?? "—")} — ${forWhat}\n${t(locale, "home.referralStatus", {
            status: t(locale, `referralStatus.${r.status}` as MessageKey),
          })}`,
        ),
      );
    }
    blocks.push(divider(), header(t(locale, "home.rsvpsTitle")));
    if (home.rsvps.length === 0) blocks.push(context([t(locale, "home.noRsvps")]));
    for (const r of home.rsvps) {
      blocks.push(
        section(
          `*#${r.event.number} ${escapeMrkdwn(r.event.title)}* — ${slackDate(r.event.startsAt, locale, r.event.timeZone)}\n${t(
            locale,
            `rsvp.${r.response}` as MessageKey,
          )}`,
        ),
      );
    }
  }
  return { type: "home", blocks: blocks.slice(0, 100) };
}
