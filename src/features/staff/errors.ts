// Apart from the service, so that routes (bundled for every target) do not pull in its imports.
export type StaffProblem = 'not-found' | 'last-admin' | 'self' | 'exists' | 'invalid-email' | 'shared';

export class StaffError extends Error {
  constructor(readonly problem: StaffProblem) {
    super(problem);
    this.name = 'StaffError';
  }
}
