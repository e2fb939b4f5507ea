/* SPDX-License-Identifier: MIT */
/*
 * x86 only, for selftest.c: a frame between a fault and XferpCallGuarded's
 * frame that does not handle the exception, to show that guard.S unwinds
 * such frames (RtlUnwind calls their handlers with EXCEPTION_UNWINDING)
 * before it recovers, as an __except does.
 *
 *   VOID __cdecl XferpSelfTestPassingFrame(PVOID Counter, const VOID *Address,
 *                                          SIZE_T Length);
 *
 * An XFER_GUARDED_ROUTINE: links a record { Next, Handler, Counter } at
 * fs:[0] and reads the dword at Address. Its handler passes every exception
 * on (ExceptionContinueSearch) and adds one to the LONG at Counter each
 * time it is called to unwind. If the read does not fault, the record is
 * unlinked and the routine returns. Length is unused.
 */

#define EXCEPTION_UNWIND_FLAGS    0x6           /* UNWINDING | EXIT_UNWIND */
#define ExceptionContinueSearch   1

        .text

        .globl  _XferpSelfTestPassingFrame
        .def    _XferpSelfTestPassingFrame; .scl 2; .type 32; .endef
        .p2align 4
_XferpSelfTestPassingFrame:
        pushl   %ebp
        movl    %esp, %ebp
        pushl   8(%ebp)                 /* record+8: Counter */
        pushl   $_XferpPassingHandler   /* record+4: Handler */
        pushl   %fs:0                   /* record+0: Next */
        movl    %esp, %fs:0
        movl    12(%ebp), %eax
        /* The access that may fault. Not a mov: 32-bit Wine's ntoskrnl.exe
         * has a vectored handler, meant to emulate reads of the IDT, that
         * on CPUs with UMIP takes any faulting mov load (opcodes 8a/8b)
         * for one and resumes after it with made-up data. */
        cmpl    $0, (%eax)
        popl    %ecx
        movl    %ecx, %fs:0             /* unlink */
        leave
        ret

/* EXCEPTION_DISPOSITION __cdecl (ExceptionRecord, EstablisherFrame, ...) */
        .def    _XferpPassingHandler; .scl 3; .type 32; .endef
        .p2align 4
_XferpPassingHandler:
        movl    4(%esp), %eax           /* ExceptionRecord */
        testl   $EXCEPTION_UNWIND_FLAGS, 4(%eax)
        jz      1f
        movl    8(%esp), %eax           /* EstablisherFrame: our record */
        movl    8(%eax), %eax           /* its Counter */
        lock incl (%eax)
1:      movl    $ExceptionContinueSearch, %eax
        ret

        .safeseh _XferpPassingHandler
        .def    @feat.00; .scl 3; .type 0; .endef
        .set    @feat.00, 1
