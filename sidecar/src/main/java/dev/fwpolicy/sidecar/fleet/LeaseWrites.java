package dev.fwpolicy.sidecar.fleet;

/** How the Lease writes went, for the metrics (implemented there, so this package counts nothing itself). */
public interface LeaseWrites {
    void leaseWritten();

    void leaseWriteFailed();

    LeaseWrites NONE = new LeaseWrites() {
        @Override
        public void leaseWritten() {}

        @Override
        public void leaseWriteFailed() {}
    };
}
