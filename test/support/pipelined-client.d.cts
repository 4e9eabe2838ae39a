/**
 * Writes `batch` GET requests in one socket write, `batches` times per socket, on `sockets`
 * sockets to 127.0.0.1:`port`; paths are `/p<socket>-<write>-<request>`.
 */
export declare function pipeline(port: number, sockets: number, batches: number, batch: number): Promise<void>;
