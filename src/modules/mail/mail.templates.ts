// Every text Deskline mails, in one place so it can be translated and
// customised later (per department / help topic templates build on this).

export interface TicketVars {
  number: string;
  subject: string;
  requesterName: string;
  departmentName: string;
  portalUrl: string;
  agentUrl: string;
}

export interface Rendered {
  subject: string;
  body: string;
}

const tag = (v: TicketVars) => `[#${v.number}]`;

export const templates = {
  acknowledgement: (v: TicketVars): Rendered => ({
    subject: `${tag(v)} ${v.subject}`,
    body: `Dear ${v.requesterName},\n\nThank you for contacting ${v.departmentName}. We have received your request and opened ticket #${v.number}.\nA member of our team will answer you soon. You can follow the ticket here:\n${v.portalUrl}\n\nPlease keep [#${v.number}] in the subject when you reply.\n`,
  }),
  reply: (v: TicketVars, body: string): Rendered => ({
    subject: `Re: ${tag(v)} ${v.subject}`,
    body: `-- reply above this line --\n\n${body}\n\nTicket #${v.number}: ${v.portalUrl}\n`,
  }),
  resolved: (v: TicketVars): Rendered => ({
    subject: `${tag(v)} Resolved: ${v.subject}`,
    body: `Dear ${v.requesterName},\n\nWe believe ticket #${v.number} is resolved. If it is, please confirm it here:\n${v.portalUrl}\nIf the problem remains, just reply to this email and the ticket will be reopened.\n`,
  }),
  closed: (v: TicketVars): Rendered => ({
    subject: `${tag(v)} Closed: ${v.subject}`,
    body: `Dear ${v.requesterName},\n\nTicket #${v.number} is now closed. If you need more help with it, reply to this email.\n${v.portalUrl}\n`,
  }),
  newTicketAlert: (v: TicketVars): Rendered => ({
    subject: `New ticket ${tag(v)} ${v.subject}`,
    body: `A new ticket arrived in ${v.departmentName} from ${v.requesterName}.\n${v.agentUrl}\n`,
  }),
  assignedAlert: (v: TicketVars): Rendered => ({
    subject: `Assigned to you ${tag(v)} ${v.subject}`,
    body: `Ticket #${v.number} from ${v.requesterName} is now assigned to you.\n${v.agentUrl}\n`,
  }),
  teamAlert: (v: TicketVars, team: string): Rendered => ({
    subject: `Team ${team}: ${tag(v)} ${v.subject}`,
    body: `Ticket #${v.number} was handed to the ${team} team.\n${v.agentUrl}\n`,
  }),
  transferredAlert: (v: TicketVars): Rendered => ({
    subject: `Transferred to ${v.departmentName} ${tag(v)} ${v.subject}`,
    body: `Ticket #${v.number} was transferred to ${v.departmentName}.\n${v.agentUrl}\n`,
  }),
  customerRepliedAlert: (v: TicketVars): Rendered => ({
    subject: `Customer replied ${tag(v)} ${v.subject}`,
    body: `${v.requesterName} replied on ticket #${v.number}.\n${v.agentUrl}\n`,
  }),
  noteAlert: (v: TicketVars): Rendered => ({
    subject: `New internal note ${tag(v)} ${v.subject}`,
    body: `Someone added an internal note to ticket #${v.number}.\n${v.agentUrl}\n`,
  }),
  reopenedAlert: (v: TicketVars): Rendered => ({
    subject: `Reopened ${tag(v)} ${v.subject}`,
    body: `Ticket #${v.number} was reopened.\n${v.agentUrl}\n`,
  }),
  accessLink: (name: string, url: string): Rendered => ({
    subject: 'Your sign-in link',
    body: `Dear ${name},\n\nUse this link to open your tickets. It works once, within 24 hours:\n${url}\n\nIf you did not ask for it, ignore this email.\n`,
  }),
};
