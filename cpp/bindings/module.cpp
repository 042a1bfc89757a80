#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
    m.doc() = "trustcost C++ core: conversion and GIL release only; the logic lives in cpp/src.";
    trustcost::bindings::register_core(m);
    trustcost::bindings::register_finance(m);
    trustcost::bindings::register_relationship(m);
    trustcost::bindings::register_relationship_models(m);
    trustcost::bindings::register_relationship_scoring(m);
    trustcost::bindings::register_stats(m);
    trustcost::bindings::register_uncertainty(m);
    trustcost::bindings::register_lcc(m);
    trustcost::bindings::register_trust(m);
}
