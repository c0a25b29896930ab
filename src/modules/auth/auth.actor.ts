import { PERMISSIONS, type Permission } from '../../contract/auth.contract.ts';
import type { AgentRole } from '../../db/schema.ts';

/** Who is acting. Loaded once per request or job (actors.service.ts); services decide with it, never with raw ids. */
export type Actor =
  | {
      kind: 'agent';
      id: number;
      role: AgentRole;
      name: string;
      /** Department id → what the agent may do there. Admins may do everything everywhere. */
      departments: ReadonlyMap<number, ReadonlySet<Permission>>;
      teams: ReadonlySet<number>;
      /** May change customers' organizations and addresses (customers.policy.ts). */
      manageCustomers: boolean;
    }
  | { kind: 'customer'; id: number; organizationId: number | null; seesOrganization: boolean }
  | { kind: 'system' };

export type AgentActor = Extract<Actor, { kind: 'agent' }>;
export type CustomerActor = Extract<Actor, { kind: 'customer' }>;

export const SYSTEM: Actor = { kind: 'system' };

export const parsePermissions = (list: string): Set<Permission> =>
  new Set(
    PERMISSIONS.filter((p) =>
      list
        .split(',')
        .map((s) => s.trim())
        .includes(p),
    ),
  );

export const actorRef = (actor: Actor): { actor_type: Actor['kind']; actor_id: number | null } =>
  actor.kind === 'system'
    ? { actor_type: 'system', actor_id: null }
    : { actor_type: actor.kind, actor_id: actor.id };
