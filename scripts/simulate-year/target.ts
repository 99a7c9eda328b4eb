/** What a simulated year needs of the system under test: the API's address and the time-skipping server's clock. */
export interface SimTarget {
  baseUrl: string;
  /** Lets the server's clock skip ahead by this much (timers fire on the way). */
  sleep(ms: number): Promise<void>;
  /** The server's clock (ms since the epoch): the simulation's "now". */
  now(): Promise<number>;
}
