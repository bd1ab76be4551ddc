import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';
import 'leaflet/dist/leaflet.css';
import { Alert, App, Form, Input, InputNumber, Modal, Select } from 'antd';
import gcoord from 'gcoord';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { api, formFieldErrors, validValues } from '../../../shared/api.js';
import { gridColors, mapConfig, toDisplay } from '../../../shared/GridMap.js';
import { useT } from '../../../shared/i18n.js';
import { createMap } from '../../../shared/leaflet-map.js';

/** Draw a new grid's boundary on the community's map (Geoman), name and type it; the server codes it. */
export default function GridEditor({
  parentId,
  onClose,
}: {
  parentId: string;
  onClose: (changed: boolean) => void;
}) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const el = useRef<HTMLDivElement>(null);
  const [boundary, setBoundary] = useState<any>(null);
  const [warnings, setWarnings] = useState<string[]>([]);

  useEffect(() => {
    if (!el.current) return;
    let dispose: (() => void) | null = null;
    let cancelled = false;
    (async () => {
      // Geoman extends the global L and hooks map creation, so it loads before the map is made.
      (window as any).L = L;
      await import('@geoman-io/leaflet-geoman-free');
      if (cancelled || !el.current) return;
      const made = createMap(el.current, { center: [39.8, 109.95], zoom: 13 });
      const m = made.map;
      dispose = made.dispose;
      const config = await mapConfig();
      const data = await api<any>(`/api/grids/geojson?orgUnitId=${parentId}&buildings=0`);
      if (cancelled) return;
      const gcj = config.crs === 'GCJ02' && !!config.tileUrl;
      if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.attribution ?? '' }).addTo(m);
      const existing = L.geoJSON(toDisplay(config, data), {
        style: (f: any) => ({
          color: gridColors[f?.properties.gridType] ?? '#555',
          weight: 1,
          fillOpacity: 0.1,
        }),
        pmIgnore: true,
      } as any).addTo(m);
      if (existing.getBounds().isValid()) m.fitBounds(existing.getBounds());
      (m as any).pm.addControls({
        position: 'topleft',
        drawMarker: false,
        drawCircleMarker: false,
        drawPolyline: false,
        drawCircle: false,
        drawText: false,
        cutPolygon: false,
        rotateMode: false,
      });
      m.on('pm:create', (e: any) => {
        const update = () => {
          const geometry = e.layer.toGeoJSON().geometry;
          setBoundary(gcj ? gcoord.transform(geometry, gcoord.GCJ02, gcoord.WGS84) : geometry);
        };
        update();
        e.layer.on('pm:edit', update);
      });
    })();
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, [parentId]);

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    try {
      const res = await api<{ warnings: string[] }>('/api/grids', {
        method: 'POST',
        json: { ...v, parentId, boundary },
      });
      if (res.warnings.length) {
        setWarnings(res.warnings);
        message.warning(res.warnings.join('；'));
      }
      onClose(true);
    } catch (err) {
      const fields = formFieldErrors(err);
      if (fields.length)
        form.setFields(fields.map((f) => (f.name[0] === 'boundary' ? { ...f, name: ['name'] } : f)));
      else message.error((err as Error).message);
    }
  };

  return (
    <Modal
      open
      width={860}
      title={tr('ui.org.newGrid')}
      onOk={submit}
      onCancel={() => onClose(false)}
      okText={tr('ui.save')}
      cancelText={tr('ui.cancel')}
    >
      <Form
        form={form}
        name="gridEditor"
        layout="inline"
        initialValues={{ type: 'basic', targetHouseholds: 300 }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <Form.Item
          name="name"
          label={tr('ui.org.gridName')}
          rules={[{ required: true, message: tr('validation.required') }]}
        >
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="type" label={tr('ui.org.gridType')}>
          <Select
            style={{ width: 120 }}
            options={['basic', 'exclusive', 'total'].map((t) => ({
              value: t,
              label: tr(`org.gridType.${t}`),
            }))}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate>
          {({ getFieldValue }) =>
            getFieldValue('type') === 'exclusive' && (
              <Form.Item
                name="coverage"
                label={tr('ui.org.coverage')}
                rules={[{ required: true, message: tr('validation.required') }]}
              >
                <Select
                  style={{ width: 120 }}
                  options={['market', 'shopStreet', 'enterprise', 'campus', 'hospital', 'other'].map((c) => ({
                    value: c,
                    label: tr(`org.coverage.${c}`),
                  }))}
                />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item name="targetHouseholds" label={tr('ui.org.households')}>
          <InputNumber min={0} max={100000} />
        </Form.Item>
      </Form>
      <Alert type="info" showIcon message={tr('ui.org.drawHint')} style={{ marginBottom: 8 }} />
      {warnings.map((w) => (
        <Alert key={w} type="warning" message={w} />
      ))}
      <div ref={el} style={{ height: 420, background: '#f4f1ea' }} />
    </Modal>
  );
}
