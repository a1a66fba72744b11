export declare const LOOPBACK_ONLY_RULES: string;
export declare function chromiumArgs(options?: { extensionDir?: string; headless?: boolean; loopbackOnly?: boolean }): string[];
