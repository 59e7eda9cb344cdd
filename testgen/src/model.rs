//! The learned stimulus generator's model: a small MLP (state features +
//! target features -> one Bernoulli logit per input bit), trained online
//! with AdamW (candle, CPU) on examples of inputs that led to hits.
//!
//! Weights start from the project's own seeded initialisation (no download,
//! no global RNG), the output layer at zero so an untrained model is exactly
//! uniform random. Sampling runs on a plain-`f32` copy of the weights
//! ([`Weights`]): it is read-only, shared by simulation workers, and its
//! result does not depend on the thread count.

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use sim::rng::Rng;

pub const HIDDEN: usize = 64;

#[derive(Debug, thiserror::Error)]
#[error("model: {0}")]
pub struct ModelError(#[from] candle_core::Error);

/// One training example: model input and the input bits that were applied.
#[derive(Clone, Debug)]
pub struct Example {
    pub x: Vec<f32>,
    pub y: Vec<f32>,
}

/// Plain copy of the weights, for sampling.
#[derive(Clone, Debug)]
pub struct Weights {
    pub in_dim: usize,
    pub out_dim: usize,
    /// Per layer: weights column by column (`[in][out]`: one input's
    /// weights to every output are contiguous), biases, outputs, inputs.
    layers: Vec<(Vec<f32>, Vec<f32>, usize, usize)>,
}

impl Weights {
    /// Output probabilities (sigmoid of the logits) for one input.
    pub fn probs(&self, x: &[f32], out: &mut Vec<f32>) {
        self.probs_sharp(x, 1.0, out)
    }

    /// Probabilities of the logits times `sharpen` (> 1 pushes them
    /// towards 0 and 1: the model's preferences held more consistently,
    /// which long input sequences need).
    ///
    /// Runs once per cycle of every learned episode (half of a learned
    /// run's time was here as dot products row by row). Column by column,
    /// each input's weights are added to all outputs at once (independent
    /// sums the compiler vectorises), and zero inputs (target features,
    /// ReLU's zeros) are skipped: the sums are the same, term by term in
    /// the same order, so the results are bit for bit those of the row
    /// form.
    pub fn probs_sharp(&self, x: &[f32], sharpen: f32, out: &mut Vec<f32>) {
        let mut cur = x.to_vec();
        let mut next = Vec::with_capacity(HIDDEN.max(self.out_dim));
        let n = self.layers.len();
        for (li, (wt, b, o, i)) in self.layers.iter().enumerate() {
            next.clear();
            next.resize(*o, 0.0f32);
            for (k, &xv) in cur.iter().enumerate().take(*i) {
                if xv == 0.0 {
                    continue;
                }
                for (acc, w) in next.iter_mut().zip(&wt[k * o..(k + 1) * o]) {
                    *acc += w * xv;
                }
            }
            for (acc, bv) in next.iter_mut().zip(b) {
                *acc += bv;
                if li + 1 < n {
                    *acc = acc.max(0.0);
                }
            }
            std::mem::swap(&mut cur, &mut next);
        }
        out.clear();
        out.extend(cur.iter().map(|l| 1.0 / (1.0 + (-l * sharpen).exp())));
    }
}

/// The trainable model.
pub struct Policy {
    in_dim: usize,
    out_dim: usize,
    /// w1, b1, w2, b2, w3, b3.
    vars: Vec<Var>,
    opt: AdamW,
    pub steps: u64,
}

fn init(rng: &mut Rng, n: usize, scale: f32) -> Vec<f32> {
    (0..n)
        .map(|_| {
            // Uniform in [-scale, scale] from 24 random bits.
            let u = (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
            (2.0 * u - 1.0) * scale
        })
        .collect()
}

impl Policy {
    pub fn new(in_dim: usize, out_dim: usize, seed: u64) -> Result<Policy, ModelError> {
        let dev = Device::Cpu;
        let mut rng = Rng::new(seed, 0x6d6f64656c);
        let s1 = (1.0 / in_dim.max(1) as f32).sqrt();
        let s2 = (1.0 / HIDDEN as f32).sqrt();
        let mk = |v: Vec<f32>, shape: (usize, usize)| -> Result<Var, ModelError> {
            Ok(Var::from_tensor(&Tensor::from_vec(v, shape, &dev)?)?)
        };
        let vars = vec![
            mk(init(&mut rng, HIDDEN * in_dim, s1), (HIDDEN, in_dim))?,
            mk(vec![0.0; HIDDEN], (1, HIDDEN))?,
            mk(init(&mut rng, HIDDEN * HIDDEN, s2), (HIDDEN, HIDDEN))?,
            mk(vec![0.0; HIDDEN], (1, HIDDEN))?,
            mk(vec![0.0; out_dim * HIDDEN], (out_dim.max(1), HIDDEN))?,
            mk(vec![0.0; out_dim.max(1)], (1, out_dim.max(1)))?,
        ];
        let opt = AdamW::new(
            vars.clone(),
            ParamsAdamW {
                lr: 3e-3,
                weight_decay: 1e-4,
                ..ParamsAdamW::default()
            },
        )?;
        Ok(Policy {
            in_dim,
            out_dim,
            vars,
            opt,
            steps: 0,
        })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let v = &self.vars;
        let h = x.matmul(&v[0].t()?)?.broadcast_add(&v[1])?.relu()?;
        let h = h.matmul(&v[2].t()?)?.broadcast_add(&v[3])?.relu()?;
        h.matmul(&v[4].t()?)?.broadcast_add(&v[5])
    }

    /// One AdamW step on `batch`; returns the loss (mean binary cross-entropy).
    pub fn train_step(&mut self, batch: &[&Example]) -> Result<f32, ModelError> {
        if batch.is_empty() || self.out_dim == 0 {
            return Ok(0.0);
        }
        let dev = Device::Cpu;
        let xs: Vec<f32> = batch.iter().flat_map(|e| e.x.iter().copied()).collect();
        let ys: Vec<f32> = batch.iter().flat_map(|e| e.y.iter().copied()).collect();
        let x = Tensor::from_vec(xs, (batch.len(), self.in_dim), &dev)?;
        let y = Tensor::from_vec(ys, (batch.len(), self.out_dim), &dev)?;
        let logits = self.forward(&x)?;
        let loss = bce_with_logits(&logits, &y)?;
        self.opt.backward_step(&loss)?;
        self.steps += 1;
        Ok(loss.to_dtype(DType::F32)?.to_scalar::<f32>()?)
    }

    /// A copy of the weights for sampling.
    pub fn weights(&self) -> Result<Weights, ModelError> {
        let mut layers = Vec::new();
        for l in 0..3 {
            let w = &self.vars[2 * l];
            let (o, i) = w.dims2()?;
            let wv: Vec<f32> = w.t()?.contiguous()?.flatten_all()?.to_vec1()?;
            let bv: Vec<f32> = self.vars[2 * l + 1].flatten_all()?.to_vec1()?;
            layers.push((wv, bv, o, i));
        }
        Ok(Weights {
            in_dim: self.in_dim,
            out_dim: self.out_dim,
            layers,
        })
    }
}

/// Mean binary cross-entropy of logits `z` against 0/1 targets `y`, in the
/// stable form `max(z, 0) - z y + ln(1 + e^-|z|)`. candle's
/// `binary_cross_entropy_with_logit` takes the log of the sigmoid, which
/// rounds to exactly 0 or 1 in f32 once |z| > ~17: `0 * ln 0` is NaN, and
/// one NaN step poisons every weight (the model then never sets a bit).
fn bce_with_logits(z: &Tensor, y: &Tensor) -> candle_core::Result<Tensor> {
    let soft = z.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?;
    ((z.relu()? - (z * y)?)? + soft)?.mean_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrained_model_is_uniform() {
        let p = Policy::new(8, 3, 1).unwrap();
        let w = p.weights().unwrap();
        let mut out = Vec::new();
        w.probs(&[1.0; 8], &mut out);
        assert_eq!(out, vec![0.5; 3]);
    }

    #[test]
    fn learns_a_state_dependent_input() {
        // Target bit = first state bit: the model must learn to copy it.
        let mut p = Policy::new(4, 1, 7).unwrap();
        let ex: Vec<Example> = (0..64)
            .map(|i| {
                let s = if i % 2 == 0 { 1.0 } else { -1.0 };
                Example {
                    x: vec![s, 0.5, -0.5, 1.0],
                    y: vec![if s > 0.0 { 1.0 } else { 0.0 }],
                }
            })
            .collect();
        let refs: Vec<&Example> = ex.iter().collect();
        for _ in 0..200 {
            p.train_step(&refs).unwrap();
        }
        let w = p.weights().unwrap();
        let mut out = Vec::new();
        w.probs(&[1.0, 0.5, -0.5, 1.0], &mut out);
        assert!(out[0] > 0.9, "{out:?}");
        w.probs(&[-1.0, 0.5, -0.5, 1.0], &mut out);
        assert!(out[0] < 0.1, "{out:?}");
    }

    #[test]
    fn sampling_weights_compute_what_the_trained_model_computes() {
        // The column-by-column copy against candle's forward pass, on a
        // trained (non-zero) model and inputs with zeros among the +-1s.
        let (i, o) = (11, 5);
        let mut p = Policy::new(i, o, 9).unwrap();
        let mut rng = Rng::new(4, 4);
        let mut draw = |n: usize| -> Vec<f32> {
            (0..n)
                .map(|_| [-1.0, 0.0, 1.0, 0.5][(rng.next_u64() % 4) as usize])
                .collect()
        };
        let ex: Vec<Example> = (0..32)
            .map(|_| Example {
                x: draw(i),
                y: draw(o).iter().map(|v| (*v > 0.0) as u8 as f32).collect(),
            })
            .collect();
        let refs: Vec<&Example> = ex.iter().collect();
        for _ in 0..40 {
            p.train_step(&refs).unwrap();
        }
        let w = p.weights().unwrap();
        let mut out = Vec::new();
        for _ in 0..20 {
            let x = draw(i);
            let t = Tensor::from_vec(x.clone(), (1, i), &Device::Cpu).unwrap();
            let logits: Vec<f32> = p
                .forward(&t)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1()
                .unwrap();
            w.probs(&x, &mut out);
            for (pr, l) in out.iter().zip(&logits) {
                let want = 1.0 / (1.0 + (-l).exp());
                assert!((pr - want).abs() < 1e-5, "{out:?} vs logits {logits:?}");
            }
            assert!(logits.iter().any(|l| l.abs() > 1e-3), "trained: {logits:?}");
        }
    }

    #[test]
    fn loss_is_finite_on_saturated_logits() {
        // Logits past f32 sigmoid saturation, right and wrong: the loss is
        // exact (ln 2 for z = 0, e^-40 ~ 0 for a confident right answer,
        // 40 for a confident wrong one), never NaN.
        let z = Tensor::new(&[[40.0f32, -40.0, 0.0, 40.0]], &Device::Cpu).unwrap();
        let y = Tensor::new(&[[1.0f32, 0.0, 1.0, 0.0]], &Device::Cpu).unwrap();
        let l = bce_with_logits(&z, &y).unwrap().to_scalar::<f32>().unwrap();
        let want = (2f32.ln() + 40.0) / 4.0;
        assert!((l - want).abs() < 1e-4, "{l} vs {want}");
    }

    #[test]
    fn confident_model_trains_without_nan() {
        // Always 1: training pushes the logit to where f32's sigmoid is
        // exactly 1 (z > ~17), where the naive loss turned NaN.
        let mut p = Policy::new(2, 1, 3).unwrap();
        let ex = Example {
            x: vec![1.0, -1.0],
            y: vec![1.0],
        };
        let batch = vec![&ex; 16];
        let mut out = Vec::new();
        for step in 0..3000 {
            let loss = p.train_step(&batch).unwrap();
            assert!(loss.is_finite(), "loss {loss} at step {step}");
        }
        p.weights().unwrap().probs(&[1.0, -1.0], &mut out);
        assert!(out[0].is_finite() && out[0] > 0.999, "{out:?}");
    }
}
