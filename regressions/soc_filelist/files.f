rtl/soc_pkg.sv
rtl/timer.sv
rtl/regbank.sv
rtl/periph.sv
rtl/soc_top.sv
