"""Repository rules that adapt Debian's Bazel packages to Debian's Bazel 4.2.3."""

def _patched_rules_cc_impl(ctx):
    # Copy the packaged rules_cc and replace use_cpp_toolchain(), which Bazel 4.2.3
    # lacks, with the toolchain type it returns in later Bazel versions.
    src = ctx.path(ctx.attr.path)
    result = ctx.execute(["cp", "-r", str(src) + "/.", "."])
    if result.return_code != 0:
        fail("copying %s failed: %s" % (ctx.attr.path, result.stderr))
    for f in [
        "cc/private/rules_impl/compiler_flag.bzl",
        "cc/private/rules_impl/cc_flags_supplier.bzl",
    ]:
        text = ctx.read(f)
        text = text.replace(', "use_cpp_toolchain")', ")")
        text = text.replace("use_cpp_toolchain()", '["@bazel_tools//tools/cpp:toolchain_type"]')
        ctx.file(f, text, legacy_utf8 = False)

patched_rules_cc = repository_rule(
    implementation = _patched_rules_cc_impl,
    attrs = {"path": attr.string(mandatory = True)},
    local = True,
)
