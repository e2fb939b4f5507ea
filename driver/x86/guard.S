/* SPDX-License-Identifier: MIT */
/*
 * x86 only: call a routine under an exception handler of our own.
 *
 *   NTSTATUS __cdecl XferpCallGuarded(XFER_GUARDED_ROUTINE *Routine,
 *                                     PVOID Destination, const VOID *Source,
 *                                     SIZE_T Length);
 *
 * Calls Routine(Destination, Source, Length) and returns STATUS_SUCCESS when
 * it returns, or STATUS_ACCESS_VIOLATION when any exception raised inside it
 * (a fault, or ProbeForRead/ProbeForWrite raising) reaches our frame. This
 * is what probe.c's __try/__except does on x64; clang cannot compile __try
 * for i686 mingw targets, so on x86 the frame is built by hand here.
 *
 * x86 exception handling is frame based: fs:[0] (NT_TIB.ExceptionList, in
 * the TEB in user mode and in the KPCR in kernel mode) heads a chain of
 * EXCEPTION_REGISTRATION_RECORDs { Next, Handler } that live on the stack,
 * innermost first. The dispatcher walks it from fs:[0], calling each
 * Handler until one handles the exception. Why this frame is sound:
 *
 * - The record is pushed on our own stack, below every frame of our
 *   callers and above every frame of Routine, so the chain stays ordered by
 *   address and lies within the stack, as the dispatcher requires (it
 *   rejects records outside the stack limits or misaligned; esp is 4-byte
 *   aligned).
 * - It is unlinked on both exits, the return and the recovery, which share
 *   one epilogue (.Lexit), so fs:[0] is what it was on entry when we return.
 *   Routine cannot leave a frame of its own linked on a normal return (every
 *   frame-based handler unlinks before returning), and on an exception
 *   RtlUnwind has removed them all before we unlink ours.
 * - The handler ignores the unwind passes (EXCEPTION_UNWINDING or
 *   EXCEPTION_EXIT_UNWIND set): an unwind passing through us has nothing to
 *   release, and returning ExceptionContinueSearch lets it go on.
 * - On the first pass it handles every exception, as
 *   __except (EXCEPTION_EXECUTE_HANDLER) does, and unwinds the way MSVC's
 *   _except_handler3 does: RtlUnwind(ourFrame) calls the handlers of any
 *   frames between the fault and ours with EXCEPTION_UNWINDING (so their
 *   own cleanup runs), unlinks them, and returns to us with fs:[0] == our
 *   record. We then drop everything below our frame (the dispatcher's
 *   frames, which are dead now: no one returns into them) by restoring ebp
 *   and esp from the frame's fixed layout, and leave through .Lexit with
 *   the error status.
 * - Callee-saved registers (ebx, esi, edi, ebp) are reloaded from our own
 *   frame in .Lexit, so the caller gets them back whatever state the fault
 *   left them in; the direction flag is cleared, as the ABI wants at a
 *   return, in case the fault hit a backwards string copy.
 * - Nothing in this frame runs at a raised IRQL or takes a lock: the
 *   recovery is straight-line code in our own stack frame.
 *
 * The frame:   ebp+20 Length         ebp-4  saved ebx
 *              ebp+16 Source         ebp-8  saved esi
 *              ebp+12 Destination    ebp-12 saved edi
 *              ebp+8  Routine        ebp-16 record.Handler
 *              ebp+4  return address ebp-20 record.Next  <- the record
 *              ebp    caller's ebp
 */

#define STATUS_SUCCESS            0x00000000
#define STATUS_ACCESS_VIOLATION   0xC0000005
#define EXCEPTION_UNWIND_FLAGS    0x6           /* UNWINDING | EXIT_UNWIND */
#define ExceptionContinueSearch   1
#define RECORD_TO_EBP             20            /* ebp - record address */

        .text

        .globl  _XferpCallGuarded
        .def    _XferpCallGuarded; .scl 2; .type 32; .endef
        .p2align 4
_XferpCallGuarded:
        pushl   %ebp
        movl    %esp, %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        pushl   $_XferpGuardHandler     /* record.Handler */
        pushl   %fs:0                   /* record.Next */
        movl    %esp, %fs:0             /* link: we are the innermost handler */

        pushl   20(%ebp)                /* Routine(Destination, Source, Length) */
        pushl   16(%ebp)
        pushl   12(%ebp)
        call    *8(%ebp)
        movl    $STATUS_SUCCESS, %eax

.Lexit:                                 /* eax: the status; ebp: our frame */
        leal    -RECORD_TO_EBP(%ebp), %esp   /* whatever Routine did to esp */
        popl    %ecx
        movl    %ecx, %fs:0             /* unlink: record.Next is innermost again */
        popl    %ecx                    /* record.Handler */
        popl    %edi
        popl    %esi
        popl    %ebx
        popl    %ebp
        ret

/*
 * EXCEPTION_DISPOSITION __cdecl XferpGuardHandler(
 *     EXCEPTION_RECORD *ExceptionRecord, void *EstablisherFrame,
 *     CONTEXT *ContextRecord, void *DispatcherContext);
 *
 * EstablisherFrame is our record. Returns only during an unwind.
 */
        .def    _XferpGuardHandler; .scl 3; .type 32; .endef
        .p2align 4
_XferpGuardHandler:
        movl    4(%esp), %eax           /* ExceptionRecord */
        testl   $EXCEPTION_UNWIND_FLAGS, 4(%eax)   /* ->ExceptionFlags */
        jnz     .Lcontinue_search

        /* RtlUnwind(EstablisherFrame, .Lunwound, ExceptionRecord, 0):
         * stdcall; x86 ignores the target ip and returns here. */
        pushl   $0
        pushl   %eax
        pushl   $.Lunwound
        pushl   8+12(%esp)              /* EstablisherFrame, past 3 pushes */
        call    _RtlUnwind@16
.Lunwound:
        movl    8(%esp), %ebp           /* EstablisherFrame: our record */
        addl    $RECORD_TO_EBP, %ebp    /* our frame's ebp */
        cld
        movl    $STATUS_ACCESS_VIOLATION, %eax
        jmp     .Lexit

.Lcontinue_search:
        movl    $ExceptionContinueSearch, %eax
        ret

/* Declare the handler a valid exception handler for images linked with
 * /SAFESEH, and this object SafeSEH-aware (@feat.00 bit 0). */
        .safeseh _XferpGuardHandler
        .def    @feat.00; .scl 3; .type 0; .endef
        .set    @feat.00, 1
