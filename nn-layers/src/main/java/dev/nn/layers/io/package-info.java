/**
 * Weight files: the safetensors reader and writer, and atomic file writes. Data only: no Java
 * serialization; every read is validated before anything is allocated from it.
 */
package dev.nn.layers.io;
