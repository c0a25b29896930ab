import type { State } from '../../../../src/contract/common.contract.ts';
import type { AgentOut, PriorityOut, StatusOut } from '../../../../src/contract/directory.contract.ts';
import type { ThreadItemOut, TicketDetailOut, TicketOut } from '../../../../src/contract/tickets.contract.ts';

// The ticket view's API shapes (GET /api/v1/tickets/:number and the lists it
// uses), all from the contract: the names the screens use for them.

export type { State };
export type Person = TicketOut['requester'];
export type ThreadItem = ThreadItemOut;
export type TicketDetail = TicketDetailOut;
/** A row of GET /api/v1/tickets. */
export type TicketRow = TicketOut;
/** Any reference table's row, as a picker lists it. */
export type Named = Pick<PriorityOut, 'id' | 'name'>;
export type Priority = PriorityOut;
export type StatusRow = StatusOut;
export type AgentRow = AgentOut;
