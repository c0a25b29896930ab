import { z } from 'zod';
import { PERMISSIONS, AvailabilityValue } from './auth.contract.ts';
import { PersonName, IdOrName, State } from './common.contract.ts';
import { Email } from './email.contract.ts';

// The people (agents, customers) and the reference tables (departments, teams,
// help topics, priorities, statuses, organizations) as the API takes and
// shows them.

export const AutoAssign = z.enum(['off', 'round_robin', 'least_loaded']);

export const NewAgent = z.strictObject({
  email: Email.transform((a) => a.toLowerCase()),
  name: z.string().trim().min(1).max(128),
  password: z.string().min(8, 'at least 8 characters').max(1024),
  role: z.enum(['admin', 'agent']).default('agent'),
  /** May move customers between organizations and correct their addresses (customers.policy.ts). */
  manageCustomers: z.boolean().default(false),
  /** Departments by id or name, with the permissions there (default: all). */
  departments: z
    .array(
      z.object({
        department: z.union([z.number().int(), z.string()]),
        permissions: z.array(z.enum(PERMISSIONS)).optional(),
      }),
    )
    .default([]),
});

export const AgentUpdate = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  role: z.enum(['admin', 'agent']).optional(),
  isActive: z.boolean().optional(),
  availability: AvailabilityValue.optional(),
  maxOpenTickets: z.number().int().positive().max(10_000).nullable().optional(),
  /** May move customers between organizations and correct their addresses, in every department. */
  manageCustomers: z.boolean().optional(),
  /** Replaces the agent's department access. */
  departments: z
    .array(z.strictObject({ department: IdOrName, permissions: z.array(z.enum(PERMISSIONS)).optional() }))
    .optional(),
  /** Replaces the agent's teams. */
  teams: z.array(IdOrName).optional(),
});

export const AgentOut = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'agent']),
  isActive: z.boolean(),
  availability: AvailabilityValue,
  maxOpenTickets: z.number().nullable(),
  manageCustomers: z.boolean(),
  departments: z.array(z.object({ id: z.number(), permissions: z.array(z.enum(PERMISSIONS)) })),
  teams: z.array(z.number()),
});

export const Availability = z.strictObject({ availability: AvailabilityValue });

export const CustomerQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  organization: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const NewCustomer = z.strictObject({
  email: Email,
  name: PersonName,
  phone: z.string().trim().max(32).optional(),
  /** Admins and agents who manage customers (without it, the address's domain decides). */
  organization: IdOrName.optional(),
});

export const CustomerUpdate = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  phone: z.string().trim().max(32).nullable().optional(),
  /** Admins and agents who manage customers: it decides which shared tickets the customer reads. */
  organization: IdOrName.nullable().optional(),
  /** Admins only: a banned address may not open tickets. */
  isBanned: z.boolean().optional(),
});

export const CustomerOut = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  organizationId: z.number().nullable(),
  isBanned: z.boolean(),
  hasAccount: z.boolean(),
  createdAt: z.string(),
});

// The reference tables (admins edit them through /api/v1/<table>; directory.admin-tables.ts).

export const DepartmentOut = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  managerId: z.number().nullable(),
  slaPlanId: z.number().nullable(),
  autoAssign: AutoAssign,
  autoCloseDays: z.number().nullable(),
  createdAt: z.string().nullable(),
});

export const TeamOut = z.object({
  id: z.number(),
  name: z.string(),
  leadId: z.number().nullable(),
  autoAssign: AutoAssign,
  members: z.array(z.object({ id: z.number(), name: z.string(), email: z.string() })),
});

export const HelpTopicOut = z.object({
  id: z.number(),
  name: z.string(),
  departmentId: z.number().nullable(),
  priorityId: z.number().nullable(),
  slaPlanId: z.number().nullable(),
  teamId: z.number().nullable(),
  autoResponse: z.boolean(),
  isPublic: z.boolean(),
});

export const PriorityOut = z.object({
  id: z.number(),
  name: z.string(),
  level: z.number(),
  color: z.string(),
  isDefault: z.boolean(),
});

export const StatusOut = z.object({
  id: z.number(),
  name: z.string(),
  state: State,
  system: z.boolean(),
  key: z.string().nullable(),
  pausesSla: z.boolean(),
  sort: z.number(),
});

export const OrganizationOut = z.object({
  id: z.number(),
  name: z.string(),
  domain: z.string().nullable(),
  sharesTickets: z.boolean(),
});

export type AgentOut = z.output<typeof AgentOut>;
export type CustomerOut = z.output<typeof CustomerOut>;
export type DepartmentOut = z.output<typeof DepartmentOut>;
export type TeamOut = z.output<typeof TeamOut>;
export type HelpTopicOut = z.output<typeof HelpTopicOut>;
export type PriorityOut = z.output<typeof PriorityOut>;
export type StatusOut = z.output<typeof StatusOut>;
export type OrganizationOut = z.output<typeof OrganizationOut>;
