// English messages for teams-roster (spread into en.ts).
import type { teamsRosterJa } from "./ja-teams-roster.js";

export const teamsRosterEn: Record<keyof typeof teamsRosterJa, string> = {
  // help
  "teams.help.usage.roster": "roster [words] | roster add | roster delete <employee number>",
  "teams.help.roster":
    "The leavers roster: counts and search, add one leaver (add), delete a row (delete). Send a roster file (CSV or XLSX) in your personal chat with the bot to import it",

  // file upload
  "teamsRoster.file.personalOnly":
    "Send roster files in your personal chat with the bot (files in channels and group chats are not read).",
  "teamsRoster.file.badType":
    '"{name}" is not a file type the bot reads. Send a CSV or tab-separated file (UTF-8, Shift_JIS or UTF-16) or an XLSX file. Nothing was stored.',
  "teamsRoster.file.hostNotAllowed":
    "The file was not downloaded: its host ({host}) is not allowed (TEAMS_FILE_HOSTS). Nothing was stored.",
  "teamsRoster.file.redirectNotAllowed":
    "The download was stopped: the file's host redirected to a host that is not allowed ({host}). Nothing was stored.",
  "teamsRoster.file.tooManyRedirects":
    "The download was stopped: the file's host redirected too many times. Nothing was stored.",
  "teamsRoster.file.tooBig": "The file is too big (the limit is {max}). Nothing was stored.",
  "teamsRoster.file.downloadFailed":
    "The file could not be downloaded ({reason}). Its download link expires within minutes: please send it again. Nothing was stored.",

  // preview and decision
  "teamsRoster.preview.title": "Roster import #{number}",
  "teamsRoster.preview.intro":
    "Nothing is stored yet. Check the counts and press Import to apply the whole file at once.",
  "teamsRoster.preview.file": "File",
  "teamsRoster.preview.encoding": "Encoding",
  "teamsRoster.preview.new": "New",
  "teamsRoster.preview.updated": "Updated",
  "teamsRoster.preview.unchanged": "Unchanged",
  "teamsRoster.preview.rejected": "Rejected lines",
  "teamsRoster.preview.rejectedTitle": "Rejected lines ({count}; these are not imported)",
  "teamsRoster.preview.rejectedLine": "Line {line}: {reason}",
  "teamsRoster.preview.rejectedMore": "and {count} more",
  "teamsRoster.preview.import": "Import",
  "teamsRoster.preview.cancel": "Cancel",
  "teamsRoster.status.previewed": "Waiting for a decision",
  "teamsRoster.status.imported": "Imported",
  "teamsRoster.status.cancelled": "Cancelled",
  "teamsRoster.imported": "Imported into the roster ({new} new, {updated} updated).",
  "teamsRoster.cancelled": "Import cancelled. The roster is unchanged.",
  "teamsRoster.alreadyImported": "This import was already imported by {by}. Nothing changed.",
  "teamsRoster.alreadyCancelled": "This import was already cancelled by {by}. Nothing changed.",
  "teamsRoster.someone": "someone else",

  // roster command
  "teamsRoster.personalOnly":
    "Search, add and delete roster rows in your personal chat with the bot (the roster is HR's record; a channel may include people outside HR).",
  "teamsRoster.summary.title": "Leavers roster",
  "teamsRoster.summary.total": "Rows",
  "teamsRoster.summary.joined": "Joined as alumni",
  "teamsRoster.summary.notJoined": "Not joined",
  "teamsRoster.summary.rehireIneligible": "Not eligible for rehire",
  "teamsRoster.summary.lastImport": "Last import",
  "teamsRoster.summary.lastImportValue": "#{number} {fileName} ({at})",
  "teamsRoster.summary.empty":
    "The roster is empty. Send a roster file (CSV or XLSX) in this chat, or add leavers one by one with roster add.",
  "teamsRoster.summary.hint":
    "Search with roster <name, employee number, ...>, add one leaver with roster add, delete a row with roster delete <employee number>. The roster is HR's record: alumni never see it.",
  "teamsRoster.search.title": 'Roster search "{query}" ({count})',
  "teamsRoster.search.none": "No row matches.",
  "teamsRoster.search.more": "Showing the first {count}. Add words to narrow the search.",
  "teamsRoster.joined.yes": "Joined",
  "teamsRoster.joined.no": "Not joined",
  "teamsRoster.rehire.yes": "Yes",
  "teamsRoster.rehire.no": "No",
  "teamsRoster.delete.usage": "Usage: roster delete <employee number>",
  "teamsRoster.delete.done": "Deleted the row of employee number {number} from the roster (recorded in the audit log).",
  "teamsRoster.delete.notFound": "The roster has no row with employee number {number}.",

  // one-leaver form
  "teamsRoster.add.title": "Add one leaver",
  "teamsRoster.add.intro": "A row with the same employee number is updated.",
  "teamsRoster.add.submit": "Add",
  "teamsRoster.add.created": "Added to the roster.",
  "teamsRoster.add.updated": "Updated the row with the same employee number.",
  "teamsRoster.add.another": "Add another",
  "teamsRoster.field.employeeNumber": "Employee number",
  "teamsRoster.field.familyName": "Family name",
  "teamsRoster.field.givenName": "Given name",
  "teamsRoster.field.familyNameKana": "Family name (kana)",
  "teamsRoster.field.givenNameKana": "Given name (kana)",
  "teamsRoster.field.name": "Name",
  "teamsRoster.field.nameKana": "Kana",
  "teamsRoster.field.personalEmail": "Personal email",
  "teamsRoster.field.department": "Department",
  "teamsRoster.field.joinedOn": "Joined on",
  "teamsRoster.field.leftOn": "Left on",
  "teamsRoster.field.rehireEligible": "Eligible for rehire",
  "teamsRoster.field.joined": "Joined",

  // join requests
  "joinRequest.card.title": "Join request #{number}",
  "joinRequest.card.intro":
    "Matching against the roster could not verify this join. Check what the person entered and the closest roster rows, then approve or reject.",
  "joinRequest.field.displayName": "Display name",
  "joinRequest.field.personalEmail": "Personal email",
  "joinRequest.field.employeeNumber": "Employee number",
  "joinRequest.field.familyName": "Family name",
  "joinRequest.field.requestedAt": "Requested at",
  "joinRequest.field.status": "Status",
  "joinRequest.field.decidedBy": "Decided by",
  "joinRequest.field.decidedAt": "Decided at",
  "joinRequest.field.reason": "Reason",
  "joinRequest.entered": "What the person entered",
  "joinRequest.candidates.title": "Closest roster rows",
  "joinRequest.candidates.none": "No roster row is close.",
  "joinRequest.candidates.why": "Matches: {why}",
  "joinRequest.why.email": "personal email",
  "joinRequest.why.employee_number": "employee number",
  "joinRequest.why.name": "family name",
  "joinRequest.link.label": "On approval, link to this roster row",
  "joinRequest.link.none": "Do not link",
  "joinRequest.reason.label": "Reason (optional; told to the person when rejected)",
  "joinRequest.approve": "Approve",
  "joinRequest.reject": "Reject",
  "joinRequest.status.pending": "Waiting for a decision",
  "joinRequest.status.approved": "Approved",
  "joinRequest.status.rejected": "Rejected",
  "joinRequest.decided.approved": "Approved by {by}. The person will be told.",
  "joinRequest.decided.rejected": "Rejected by {by}. The person will be told.",
  "joinRequest.alreadyDecided": "This request was already decided by {by} ({status}). Nothing changed.",
  "joinRequest.notFound": "Join request #{number} was not found (the person may have erased their data).",
  "joinRequest.someone": "someone else",
};
