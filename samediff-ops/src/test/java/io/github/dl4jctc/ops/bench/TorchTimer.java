package io.github.dl4jctc.ops.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs PyTorch's CPU ctc_loss timing ({@code bench/torch_ctc_bench.py}) with {@code /usr/bin/python3}, when torch
 * is installed there ({@code apt-get install python3-torch}), so that its figures come from the same run.
 */
final class TorchTimer {
    private static final String PYTHON = "/usr/bin/python3";

    private TorchTimer() {
    }

    /** Best ms per shape key "N,T,C,S", or an empty map when PyTorch is not available. */
    static Map<String, Double> time(List<int[]> shapes, int threads, int rounds, int reps) {
        return time("/bench/torch_ctc_bench.py", shapes, threads, rounds, reps);
    }

    /** As above with another timing script of the same arguments and output ({@code /bench/...} resource). */
    static Map<String, Double> time(String scriptResource, List<int[]> shapes, int threads, int rounds, int reps) {
        Map<String, Double> out = new HashMap<>();
        if (!new File(PYTHON).canExecute()) {
            return out;
        }
        try {
            File script = File.createTempFile("torch_ctc_bench", ".py");
            script.deleteOnExit();
            try (InputStream in = TorchTimer.class.getResourceAsStream(scriptResource)) {
                Files.copy(in, script.toPath(), StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>(List.of(PYTHON, script.getPath(), String.valueOf(threads),
                    String.valueOf(rounds), String.valueOf(reps)));
            for (int[] s : shapes) {
                cmd.add(s[0] + "," + s[1] + "," + s[2] + "," + s[3]);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.trim().split(" ");
                    if (f.length == 5 && f[0].matches("\\d+")) {
                        out.put(f[0] + "," + f[1] + "," + f[2] + "," + f[3], Double.parseDouble(f[4]));
                    } else {
                        System.err.println("[torch] " + line);
                    }
                }
            }
            p.waitFor();
        } catch (Exception e) {
            System.err.println("PyTorch timing skipped: " + e);
        }
        return out;
    }
}
