"""ExecuTorch: what `torch[nn]` computes (the module with its weights as
parameters, or its composed crops), exported by `torch.export.export` and
lowered as ExecuTorch's guide lowers a model for a phone: "executorch" with
`to_edge_transform_and_lower(..., partitioner=[XnnpackPartitioner()])` (the
XNNPACK delegate), "executorch[portable]" with `to_edge` alone (the portable
kernels); then `.to_executorch()`, and the program run by
`executorch.runtime.Runtime` on the CPU. The native sweeps lower the drawn
`nn.ConvTranspose` module as called.

Measured with executorch 1.5.1: the program has static shapes and its weights
are constants (given as inputs, XNNPACK declines the convolution), so each
check lowers a program of its own. Which kernel ran is read from the program:
its execution plan lists the delegates (XnnpackBackend) and the operators
left to the portable kernels. XNNPACK takes float32 and float16 and leaves
bfloat16, float64 and an empty batch to the portable kernels (the partitioner
says nothing): "executorch" declines those, "executorch[portable]" runs them.
Neither runtime computes a 3-D convolution ("op_convolution: Expect input
tensor to be 3-D or 4-D, but got, 5."; lowering accepts it): declined.
Inference only.
"""

from __future__ import annotations

import dataclasses
import logging

from .base import Decline
from .torch import TorchModuleAdapter
from .torch_onnx import TorchOnnxAdapter, _module_of


class ExecuTorchAdapter(TorchModuleAdapter):
    framework = "executorch"
    ranks = (1, 2)
    # each check exports and lowers a program: 0.5 s (portable) to 1.5 s (XNNPACK)
    case_share = 16
    case_share_reason = "each check exports and lowers an ExecuTorch program: 0.5 to 1.5 s"
    model_machinery = None

    def __init__(self, delegate: bool = True):
        super().__init__()
        self.delegate = delegate
        self.name = "executorch" if delegate else "executorch[portable]"

    def needs(self):
        return ("torch", "executorch")

    def _load(self):
        torch = super()._load()
        # torchao (the XNNPACK backend imports it) logs each CUDA extension this CPU
        # build lacks, and torch's pytree logs torchao's enum registration: no errors
        for logger in ("torchao", "torch.utils._pytree"):
            logging.getLogger(logger).setLevel(logging.ERROR)
        import executorch.exir  # noqa: F401  (the lowering)
        import executorch.runtime  # noqa: F401  (the runtime, its pybindings)

        return torch

    def versions(self):
        from importlib.metadata import version

        return {"torch": self.module.__version__, "executorch": version("executorch")}

    def rank_declined(self, rank: int) -> str:
        return (f"{self.name}: ExecuTorch's convolution kernels take 1-D and 2-D inputs only (a {rank}-D "
                f"program lowers, and its run fails: 'op_convolution: Expect input tensor to be 3-D or "
                f"4-D, but got, 5.')")

    def _supports(self, spec, dtype):
        if self.delegate and dtype not in ("float32", "float16"):
            return (f"{self.name}: XNNPACK's partitioner takes float32 and float16 and leaves {dtype} to "
                    f"the portable kernels (executorch[portable] checks them)")
        return super()._supports(spec, dtype)

    def plan(self, spec, dtype):
        plan = super().plan(spec, dtype)
        how = "the XNNPACK delegate" if self.delegate else "the portable kernels"
        return dataclasses.replace(plan, words=f"{plan.words}, lowered by ExecuTorch for {how}")

    # every path (forward, native) runs its torch function as an ExecuTorch program
    def _evaluate(self, compute, x, weight, bias):
        wt, bt, xt = self.to_torch(weight), self.to_torch(bias), self.to_torch(x)
        return self.to_numpy(self._run(self.lower(lambda x_: compute(x_, wt, bt), xt), xt, x.dtype.name),
                             x.dtype)

    # the tensors as the module's own parameters: export makes them the program's constants
    _with_parameters = TorchOnnxAdapter._with_parameters

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} runs an ExecuTorch program, which infers only: no gradients")

    def lower(self, function, xt):
        """The ExecuTorch program of function(x), lowered for this adapter's kernels."""
        torch = self.module
        from executorch.exir import to_edge, to_edge_transform_and_lower

        with torch.no_grad():
            exported = torch.export.export(_module_of(torch, function).eval(), (xt,))
        if not self.delegate:
            return to_edge(exported).to_executorch()
        from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner

        program = to_edge_transform_and_lower(exported, partitioner=[XnnpackPartitioner()]).to_executorch()
        plan = program.executorch_program.execution_plan[0]
        if not plan.delegates:   # an empty batch: the portable kernels would run it, as executorch[portable]
            raise Decline(f"{self.name}: XNNPACK took no node of this program (the portable kernels would run "
                          f"{sorted({op.name for op in plan.operators})})")
        return program

    def _run(self, program, xt, dtype: str):
        """Runtime.get() -> load_program -> load_method("forward") -> execute,
        the kernels that ran noted from the program's execution plan."""
        from executorch.runtime import Runtime

        plan = program.executorch_program.execution_plan[0]
        for delegate in plan.delegates:
            self._note_kernel({"library": "ExecuTorch", "primitive": delegate.id, "direction": "forward",
                               "implementation": "XNNPACK delegate", "dtype": dtype})
        for op in plan.operators:
            if "convolution" in op.name:
                self._note_kernel({"library": "ExecuTorch", "primitive": f"{op.name}.{op.overload}",
                                   "direction": "forward", "implementation": "portable kernels", "dtype": dtype})
        method = Runtime.get().load_program(program.buffer).load_method("forward")
        return method.execute([xt])[0]

    def _declarers(self, call):
        raise Decline(f"{self.name} declares shapes as torch.export does: torch[nn]'s round trip runs it")

    def round_trip_ways(self, call):
        return ()
