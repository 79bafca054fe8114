// The process's malloc heap in transparent huge pages (glibc).
#pragma once

namespace trailwatch::cli {

/// Called first thing in main. On the virtual machines trailwatch runs on (Firecracker: Fargate, Lambda, the
/// CI's), the first touch of each 4 KiB page costs about 10 microseconds, and a scan's small allocations (the
/// list of 3,000 files, the matched events' who-counts) touched 1,800 of them: 18 ms of CPU, much of it
/// before the workers start. glibc is told to keep one arena for all threads, to take blocks up to 1 MiB
/// from the heap, to grow it by 64 MiB of address space at a time and to give back only what passes 128 MiB;
/// the first 64 MiB are then offered for 2 MiB huge pages (a later growth is a new mapping, in 4 KiB pages as
/// before). The same scan then takes 400 to 900 page faults. Where the kernel gives no huge pages, only the
/// settings change; with another C library, or in a sanitizer build (whose allocator is its own), nothing.
void use_huge_pages_for_heap();

}  // namespace trailwatch::cli
