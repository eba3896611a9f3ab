/**
 * Data-parallel training of nn models on Apache Spark: the driver holds the model and the
 * optimizer, executors compute on their partitions of the data. Depends on nn-optim; Spark is
 * provided by the cluster and nothing else in nn depends on this package.
 */
package dev.nn.spark;
