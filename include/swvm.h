#ifndef SWVM_H
#define SWVM_H
#endif
