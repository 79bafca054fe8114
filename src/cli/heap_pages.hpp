// The process's malloc heap in transparent huge pages (glibc).
#pragma once

namespace trailwatch::cli {

/// Called first thing in main. On the virtual machines trailwatch runs on (Firecracker: Fargate, Lambda, the
/// CI's), the first touch of each 4 KiB page costs about 10 microseconds, and a scan's small allocations (the
/// list of 3,000 files, the matched events' who-counts) touched 1,800 of them: 18 ms of CPU, much of it
/// before the workers start. With one arena for all threads, grown 64 MiB of address space at a time and
/// offered for 2 MiB huge pages, the same scan takes 430 page faults. Only advice: where the kernel gives no
/// huge pages, or the C library is not glibc, nothing changes but the arena count. Does nothing in a
/// sanitizer build, whose allocator is its own.
void use_huge_pages_for_heap();

}  // namespace trailwatch::cli
