/**
 * Data for training: in-memory {@link dev.nn.optim.data.Dataset}s, a seeded
 * {@link dev.nn.optim.data.DataLoader}, and validated readers for IDX (MNIST) and numeric CSV files.
 * Depends on nn-core only.
 */
package dev.nn.optim.data;
