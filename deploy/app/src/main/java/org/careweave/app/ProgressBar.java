package org.careweave.app;

import java.io.PrintStream;
import java.util.function.Consumer;

import org.careweave.replay.Replay;

/** One line, redrawn: a bar for work with a known total, a count for open-ended draining. */
final class ProgressBar implements Consumer<Replay.Progress> {

    private static final int WIDTH = 30;
    private final PrintStream out;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(Replay.Progress p) {
        if (p.phase().equals("mapping")) {
            double share = p.total() == 0 ? 1 : (double) p.done() / p.total();
            int filled = (int) Math.round(share * WIDTH);
            out.printf("\r  mapping     [%s%s] %3d%%  %d/%d raw messages", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), Math.round(share * 100), p.done(), p.total());
        } else {
            out.printf("\r  processors  catching up: %d records behind%s", p.total(), " ".repeat(20));
        }
        out.flush();
    }
}
