/** Capture jobs: not yet built. */
export interface CaptureJobs {
  readonly pending: number;
}
