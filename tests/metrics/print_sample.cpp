// Prints a filled-in node's /metrics text, for check_exposition.py to parse with the
// reference Python client.
#include "tests/metrics/sample_node.hpp"

#include <iostream>

int main() {
  rtd::metrics::node_metrics node{2};
  rtd::test::fill_sample(node);
  std::cout << node.serialize();
  return std::cout ? 0 : 1;
}
