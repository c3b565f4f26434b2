// codemorph: the command-line front end (sim/src/main_dispatch.cpp does the work).
#include "codemorph/sim/main_dispatch.h"

int main(int argc, char** argv) { return codemorph::sim::mainDispatch(argc, argv); }
