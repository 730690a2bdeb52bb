package io.carpoperator.demo;

import io.carpoperator.api.NodeStatus;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.lab.LabNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Prints the VirtualIP like `kubectl get vip -w`, one line whenever something changes, with each node's state from
 * its own status entry; polls the API server every 200 ms on its own thread.
 */
final class LiveTable implements AutoCloseable {
    static final long POLL_MILLIS = 200;

    private final Supplier<java.util.Optional<VirtualIP>> source;
    private final List<LabNode> nodes;
    private final DemoOutput out;
    private final Thread thread;
    private volatile boolean running = true;
    private String last = "";

    LiveTable(Supplier<java.util.Optional<VirtualIP>> source, List<LabNode> nodes, DemoOutput out) {
        this.source = source;
        this.nodes = nodes;
        this.out = out;
        this.thread = new Thread(this::loop, "demo-live-table");
        this.thread.setDaemon(true);
    }

    LiveTable start() {
        printHeader();
        thread.start();
        return this;
    }

    void printHeader() {
        StringBuilder header = new StringBuilder(String.format("   %7s  %-8s %-18s %-5s %-7s %-10s", "TIME", "NAME", "ADDRESS", "VHID",
                "MASTER", "PHASE"));
        nodes.forEach(node -> header.append(String.format(" %-9s", node.name().toUpperCase())));
        out.line(header.toString());
    }

    static String row(VirtualIP vip, List<LabNode> nodes) {
        var status = vip.getStatus();
        StringBuilder row = new StringBuilder(String.format("%-8s %-18s %-5s %-7s %-10s", vip.getMetadata().getName(),
                vip.getSpec().address, status == null || status.vhid == null ? "" : status.vhid,
                status == null || status.master == null || status.master.isEmpty() ? "<none>" : status.master,
                status == null || status.phase == null ? "" : status.phase));
        for (LabNode node : nodes) {
            NodeStatus entry = status == null || status.nodes == null ? null : status.nodes.get(node.name());
            row.append(String.format(" %-9s", entry == null || entry.state == null ? "-" : entry.state));
        }
        return row.toString();
    }

    private void loop() {
        while (running) {
            try {
                source.get().map(vip -> row(vip, nodes)).filter(row -> !Objects.equals(row, last)).ifPresent(row -> {
                    last = row;
                    out.line("   " + out.elapsed(Instant.now()) + "  " + row);
                });
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the API server is going away at the end of the demo; the next poll tells
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
