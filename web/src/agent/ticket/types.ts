import type { StoredAttachment } from '../../ui/attachments.tsx';

// The ticket view's API shapes (GET /api/v1/tickets/:number and the lists it uses).

export interface Person {
  id: number | null;
  name: string;
  email: string | null;
}

export interface ThreadItem {
  id: number;
  kind: 'message' | 'reply' | 'note' | 'event';
  type?: string;
  body: string;
  format: 'text' | 'html';
  author: Person & { type: 'agent' | 'customer' | 'system' };
  createdAt: string;
  attachments: StoredAttachment[];
}

export type State = 'open' | 'pending' | 'resolved' | 'closed';

export interface TicketDetail {
  number: string;
  subject: string;
  status: string;
  statusId: number;
  state: State;
  priority: string;
  priorityId: number;
  department: string;
  departmentId: number;
  team: string | null;
  teamId: number | null;
  assignee: Person | null;
  helpTopic: string | null;
  helpTopicId: number | null;
  source: string;
  requester: Person;
  sla: {
    plan: string;
    firstResponseDueAt: string | null;
    nextResponseDueAt: string | null;
    resolutionDueAt: string | null;
    paused: boolean;
  } | null;
  firstResponseAt: string | null;
  createdAt: string;
  updatedAt: string;
  thread: ThreadItem[];
  /** The customer's satisfaction rating (only on the single-ticket read). */
  rating?: { score: number; scale: 'five' | 'binary'; comment: string | null; updatedAt: string } | null;
}

/** A row of GET /api/v1/tickets. */
export type TicketRow = Omit<TicketDetail, 'thread'>;

export interface Named {
  id: number;
  name: string;
}
export interface Priority extends Named {
  color: string;
  level: number;
}
export interface StatusRow extends Named {
  state: State;
  sort: number;
}
export interface AgentRow extends Named {
  isActive: boolean;
  role: 'admin' | 'agent';
  departments: { id: number; permissions: string[] }[];
}
