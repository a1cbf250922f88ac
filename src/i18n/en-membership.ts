// English messages for membership (spread into en.ts).
import type { membershipJa } from "./ja-membership.js";

export const membershipEn: Record<keyof typeof membershipJa, string> = {
  "membership.verifyHeader": "Checking you worked here",
  "membership.verifyIntro":
    "Only former employees can join this community. What you enter is checked against HR's leavers records. If it does not match, HR checks it and the result comes to you as a DM from this app.",
  "membership.field.personalEmail": "Personal email (used to check you against HR's records)",
  "membership.field.personalEmailHint": "Not your work address: the personal email you gave HR when you left.",
  "membership.field.employeeNumber": "Employee number (if you know it)",
  "membership.field.employeeNumberHint": "Used with your family name at the company when your email does not match.",
  "membership.field.familyName": "Family name at the company (kanji or kana)",
  "membership.field.familyNameHint":
    "Needed with the employee number. If you worked under a former name, enter that one.",
  "membership.familyNameNeeded": "To check your employee number, also enter your family name as it was at the company.",
  "membership.verifiedWelcome":
    "You match HR's records. Welcome! See openings with `/alumni jobs`, events with `/alumni events` and the directory with `/alumni find`.",
  "membership.pendingReply":
    "Thank you for joining. Your details did not match HR's records automatically, so HR will review your request (#{number}). You will get the result as a DM from this app. Until then the directory, jobs, side gigs and events are not available; you can edit your profile, export your data (`/alumni mydata`) or erase it (`/alumni delete`) at any time.",
  "membership.pendingAlready":
    "HR is reviewing your request to join (#{number}); you will get the result as a DM from this app. Your profile is saved.",
  "membership.reapplyBlocked":
    "Your requests to join were declined several times, so you cannot apply again until {date}.",
  "membership.notVerified":
    "This is only for alumni whose membership has been verified. If you asked to join, HR will tell you the result by DM. If your request was declined, you can apply again with `/alumni join`.",
  "membership.requestNotFound": "There is no join request #{number}.",
  "membership.home.pending":
    "HR is reviewing your request to join (#{number}); you will get the result by DM. Until then the directory, jobs and events are not available.",
  "membership.home.pendingNoNumber":
    "Your membership has not been verified yet. Until it is, the directory, jobs and events are not available.",
  "membership.home.rejected": "Your request to join was declined. You can apply again with `/alumni join`.",
  "membership.decision.approvedTitle": "Your request to join was approved",
  "membership.decision.approved":
    "HR confirmed that you worked here. Welcome! You can now:\n• see jobs and side gigs with `/alumni jobs` and `/alumni gigs`\n• answer events with `/alumni events`\n• search the directory with `/alumni find`\n• refer someone with `/alumni refer`",
  "membership.decision.rejectedTitle": "Your request to join was declined",
  "membership.decision.rejected": "HR reviewed your request to join (#{number}) and declined it.",
  "membership.decision.reason": "HR's reason: {reason}",
  "membership.decision.reapply": "You can check what you entered and apply again with `/alumni join`.",
  "membership.decision.reapplyFrom": "You can apply again with `/alumni join` from {date}.",
} as const;
