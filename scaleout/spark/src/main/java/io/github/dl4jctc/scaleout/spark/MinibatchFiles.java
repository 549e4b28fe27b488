package io.github.dl4jctc.scaleout.spark;

import org.nd4j.linalg.dataset.DataSet;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Writes minibatches as the files that {@code SparkDl4jMultiLayer.fitPaths} / {@code SparkComputationGraph.fitPaths}
 * read with their default loader: one {@link DataSet} per file in ND4J's binary format ({@link DataSet#save}).
 * <p>
 * Write them once (e.g. from the OCR example's iterator), copy the directory to storage every executor can read
 * ({@code hdfs dfs -put}, S3, a shared mount), and train from the paths: the data never passes through the driver.
 * Each file should hold exactly the {@code batchSizePerWorker} examples the training uses; a worker merges smaller
 * ones with {@code DataSet.merge}, which pads time series but not images of different widths.
 */
public final class MinibatchFiles {

    /** Prefix of the file names: {@code minibatch-000000.bin}, {@code minibatch-000001.bin}, ... */
    public static final String PREFIX = "minibatch-";
    public static final String SUFFIX = ".bin";

    private MinibatchFiles() {
    }

    /**
     * @param minibatches the minibatches, written in order
     * @param directory   created if missing; must not already hold minibatch files (they would be mixed)
     * @return the number of files written
     * @throws IllegalArgumentException if {@code directory} already holds minibatch files or is not a directory
     */
    public static int write(Iterator<DataSet> minibatches, Path directory) throws IOException {
        if (minibatches == null || directory == null) {
            throw new IllegalArgumentException("minibatches and directory: got " + minibatches + " and " + directory
                    + ", expected both non-null");
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("directory: got " + directory + ", which is a file, expected a"
                    + " directory");
        }
        Files.createDirectories(directory);
        try (var existing = Files.list(directory)) {
            if (existing.anyMatch(p -> p.getFileName().toString().startsWith(PREFIX))) {
                throw new IllegalArgumentException("directory: " + directory + " already holds " + PREFIX + "*"
                        + SUFFIX + " files; write to an empty directory");
            }
        }
        int count = 0;
        while (minibatches.hasNext()) {
            DataSet minibatch = minibatches.next();
            Path file = directory.resolve(String.format("%s%06d%s", PREFIX, count, SUFFIX));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                minibatch.save(out);
            }
            count++;
        }
        return count;
    }
}
