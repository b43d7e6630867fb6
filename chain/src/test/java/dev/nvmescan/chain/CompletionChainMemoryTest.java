package dev.nvmescan.chain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.chain.CompletionChain.Link;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Finished links and abandoned waiters must be garbage: these run in their own surefire
 * execution with {@code -Xmx32m}, where retaining any of them would exhaust the heap.
 */
@Tag("small-heap")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionChainMemoryTest {

    private static final int LINKS = 10_000_000;

    @BeforeAll
    static void heapIsSmall() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= 48L << 20, "run with -Xmx32m (the small-heap surefire execution), max heap is "
                + (max >> 20) + " MiB");
    }

    /** Each link is completed after its successor was attached, so its hand-off must forget it. */
    @Test
    void tenMillionLinksInOrderWhileTheFirstIsStillHeld() {
        CompletionChain chain = new CompletionChain();
        Link first = chain.add();
        Link prev = first;
        for (int i = 0; i < LINKS; i++) {
            Link link = chain.add();
            prev.complete();
            assertTrue(link.isReady());
            prev = link;
        }
        assertFalse(first.isPending());     // keeps `first` reachable during the loop
        prev.complete();
        assertTrue(chain.add().isReady());
    }

    @Test
    void tenMillionLinksCompletedEarlyInReverseWindows() {
        CompletionChain chain = new CompletionChain();
        Link[] window = new Link[4096];
        for (int done = 0; done < LINKS; done += window.length) {
            for (int i = 0; i < window.length; i++) {
                window[i] = chain.add();
            }
            for (int i = window.length - 1; i >= 0; i--) {
                window[i].complete();
            }
            assertTrue(window[window.length - 1].isReady(), "window starting at " + done);
        }
        assertTrue(chain.add().isReady());
    }

    /** Each abandoned wait leaves a 24-byte node unless withdrawn: 2 million would need 48 MiB. */
    @Test
    void millionsOfAbandonedWaitsOnOneLinkAreNotRetained() throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        Thread parked = Thread.ofVirtual().start(b::awaitUninterruptibly);
        for (int i = 0; i < 2_000_000; i++) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, b::await);
        }
        a.complete();
        parked.join();
        assertTrue(b.isReady());
    }
}
