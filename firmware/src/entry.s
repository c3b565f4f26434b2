# Reset and stop glue (docs/cms-runtime.md 1). The image is position independent: every
# control transfer inside it is pc-relative and every data address comes from a firmware
# register the CMS sets (@fwbase, @data, @lookup_base), so the CMS may place the reserved
# region at the top of any memory size. Molecules that follow a service call commit: the
# CMS changes the x86 state in the working registers, and a translation that rolls back at
# its entry check must find that state, not the one before the call.
        .text
        .global fw_reset, fw_halt, fw_resume
fw_reset:                                 # offset 0: the core's reset vector
        svc     SVC_BOOT                  # x86 state, @fwbase.. @hot, tvec
        j       fw_dispatch commit

# The CMS ends a run (limit, guest stop, shutdown) by pointing pc here from a service
# call; run() resumes after the halt, at the dispatcher, with the state it left.
fw_halt:
        halt
fw_resume:
        j       fw_dispatch commit
