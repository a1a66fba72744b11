/** Serves `dir` on 127.0.0.1; `%NAME%` in HTML files becomes `vars.NAME`. */
export declare function serveDemo(dir: string, options?: { vars?: Record<string, string> }): Promise<{ url: string; close(): Promise<void> }>;
