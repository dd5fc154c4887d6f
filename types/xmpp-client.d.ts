// @xmpp/client 0.14 ships no types; the subset Parley's feature probe and the tests use.
declare module "@xmpp/client" {
  export type Element = {
    name: string;
    attrs: Record<string, string>;
    children: (Element | string)[];
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    toString(): string;
  };
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined>,
    ...children: (Element | string)[]
  ): Element;
  export type Client = {
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
    on(event: string, listener: (...args: never[]) => void): void;
    reconnect: { stop(): void };
    iqCaller: { request(element: Element, timeout?: number): Promise<Element> };
    // The connection classes tried in order for a service URL.
    transports: unknown[];
  };
  export function client(options: {
    service: string;
    domain: string;
    username?: string;
    password?: string;
    resource?: string;
  }): Client;
}
