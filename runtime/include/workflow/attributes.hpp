// Lets plain g++ and clang++ compile sources that carry [[workflow::...]] attributes without
// warnings: the attributes only mean something to wfc, which reads the original source.
// wfc itself defines WORKFLOW_WFC: it knows the attributes, and needs clang's warning about
// unknown ones to catch misspellings such as [[workflow::stepp]].
#pragma once

#if !defined(WORKFLOW_WFC)
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-attributes"
#elif defined(__GNUC__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored_attributes "workflow::"
#endif
#endif
