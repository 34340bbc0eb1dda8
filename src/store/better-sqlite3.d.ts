// Minimal typings for the parts of better-sqlite3 (v12) tenantwatch uses; the package ships no types and
// @types/better-sqlite3 is not a dependency.
declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }
    interface Statement {
      run(...params: unknown[]): RunResult;
      get(...params: unknown[]): unknown;
      all(...params: unknown[]): unknown[];
      iterate(...params: unknown[]): IterableIterator<unknown>;
    }
    interface Database {
      prepare(sql: string): Statement;
      exec(sql: string): Database;
      transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
      pragma(source: string, options?: { simple?: boolean }): unknown;
      close(): void;
      readonly open: boolean;
      readonly name: string;
    }
    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      timeout?: number;
    }
  }
  const Database: new (filename: string, options?: Database.Options) => Database.Database;
  export = Database;
}
