/** An answer in osTicket's terms: a status and a plain-text reason (its clients read only the status). */
export class CompatError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'CompatError';
  }
}
